/*
 * revoke.c - `vncert revoke` and the revocation list of a ledger (issue
 * 11): the front ends' calls, opening the ledger as the other commands do
 * (vc__job_ledger_open).
 */
#include <stdlib.h>

#include "job/job-private.h"
#include "ledger/ledger.h"

vc_status_t vc_job_revoke(const vc_job_t *job, const char *serial, const char *reason,
                          vc_diag_t *d) {
  if (!job->ledger) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "revoke needs the ledger: --ledger FILE");
    return VC_E_USAGE;
  }
  vc_ledger_t *l = vc__job_ledger_open(job, false, d);
  if (!l) return vc__job_fail(d);
  vc_status_t st = vc_ledger_revoke(l, serial, reason, d);
  vc_ledger_close(l);
  return st;
}

vc_status_t vc_job_revocations(const vc_job_t *job, vc_revocation_t **list, size_t *n,
                               vc_diag_t *d) {
  *list = NULL;
  *n = 0;
  vc_ledger_t *l = vc__job_ledger_open(job, true, d);
  if (!l) return vc__job_fail(d);
  vc_status_t st = vc_ledger_revocations(l, list, n, d);
  vc_ledger_close(l);
  return st;
}
