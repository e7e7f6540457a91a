/*
 * desk-private.h - what the print desk's files share (desk.c: the desk, its
 * list, searching, the preview PNG; desk-ledger.c: a document's state and
 * staff's counts, jobs and log from the ledger; desk-print.c: printing,
 * jobs, retry, the printer).  Not public: the desk's calls are in vncert.h.
 *
 * Locks: `mu` guards the ledger handle and the CUPS connection (one thread
 * at a time each); `list_mu` guards only which list is current and its
 * users count.  Never take list_mu while waiting for mu's work: a list is
 * acquired (vc__desk_list_get) before mu and released after.
 */
#ifndef VC_DESK_PRIVATE_H
#define VC_DESK_PRIVATE_H

#include <limits.h>
#include <pthread.h>

#include "job/engine.h"
#include "ledger/ledger.h"
#include "vncert.h"

/* One loaded list with its key map; freed when the last user leaves. */
typedef struct vc__desk_list {
  vc_data_t *data;
  long refs;          /* users (the desk's current pointer is one); list_mu */
  int key_col, name_col, class_col;
  long *slots;        /* open addressing: row + 1, 0 = empty */
  size_t nslots;      /* a power of two, over twice the rows */
} vc__desk_list_t;

#define VC__DESK_NSTRS 11

struct vc_desk {
  vc_job_t job;                 /* the paths and key, for the job layer's calls */
  char *strs[VC__DESK_NSTRS];   /* the copies job's strings point to */
  char tpath[PATH_MAX];         /* the template as the ledger names it (real path) */
  char thash[VC_LEDGER_HASH_LEN];
  vc_engine_t *e;
  pthread_mutex_t list_mu;
  vc__desk_list_t *cur;
  pthread_mutex_t mu;           /* the ledger and CUPS */
  vc_print_record_t *rec;
  vc_ledger_t *l;               /* rec's */
  vc_print_t *p;                /* NULL until CUPS answers */
  const char *queue, *server;   /* in strs */
};

/* The current list, with a use taken (give it back with _put). */
vc__desk_list_t *vc__desk_list_get(vc_desk_t *k);
void vc__desk_list_put(vc_desk_t *k, vc__desk_list_t *li);
/* The row of key in li (case does not matter, as a scanner types it), -1
 * when none. */
long vc__desk_row(const vc__desk_list_t *li, const char *key);
/* The row of key, or -1 after a VC_E_INPUT diag that does not echo it. */
long vc__desk_row_said(const vc__desk_list_t *li, const char *key, vc_diag_t *d);
/* A cell of row (col < 0: ""), owned by the list. */
const char *vc__desk_cell(const vc__desk_list_t *li, long row, int col);

/* s (NULL: "") into dst[n], cut between characters with "…" when longer:
 * what a front end shows stays UTF-8 (its JSON library refuses broken
 * text). */
void vc__desk_copy(char *dst, size_t n, const char *s);
#define VC__DESK_COPY(dst, s) vc__desk_copy((dst), sizeof(dst), (s))

/* The CUPS connection (made now when there is none); NULL after a diag.
 * Under mu. */
vc_print_t *vc__desk_cups(vc_desk_t *k, vc_diag_t *d);
/* Drops the connection after a fault, so that the next call reconnects. */
void vc__desk_cups_drop(vc_desk_t *k);

/* A document as the desk sees it (under mu): the issued one of key under
 * the desk's template, or none; its print events. */
typedef struct vc__desk_state {
  vc_ledger_doc_t *doc;   /* NULL: never issued (caller frees) */
  vc_desk_state_t state;
  long printed;
  int job_id;             /* the last job holding it, 0 none */
  vc_print_outcome_t job_outcome;
  int open_jobs[8];       /* jobs not ended holding it */
  int nopen;
} vc__desk_state_t;
/* Reads key's document and its print events (under mu).  VC_OK or the
 * ledger's fault (said). */
vc_status_t vc__desk_state(vc_desk_t *k, const char *key, vc__desk_state_t *s,
                           vc_diag_t *d);
/* The same, after asking CUPS about its jobs not ended (CUPS may have
 * ended them since): a CUPS that does not answer leaves them as the
 * ledger has them. */
vc_status_t vc__desk_state_fresh(vc_desk_t *k, const char *key, vc__desk_state_t *s,
                                 vc_diag_t *d);
/* The outcome a ledger word ("completed", "pending", ...) stands for. */
vc_print_outcome_t vc__desk_outcome(const char *state);
/* Asks CUPS about job id and records its end when it ended (under mu);
 * *o, and the staff line into why (may be NULL). */
vc_status_t vc__desk_job_look(vc_desk_t *k, int job_id, vc_print_outcome_t *o, char *why,
                              size_t n, vc_diag_t *d);

#endif
