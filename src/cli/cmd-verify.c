/*
 * cmd-verify.c - `vncert keygen`, `vncert verify`, `vncert revoke` and
 * `vncert verify-page`
 * (issue 11, docs/verify.md): the school's key pair, checking a
 * certificate's signed QR code, revoking one.  The work is in the library
 * (src/verify, the ledger); this says it in the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/i18n.h"

#define MAX_KEYS 16

static int usage(cli_cmd_t cmd, const char *msg) {
  fprintf(stderr, "vncert: %s\n", msg);
  cli_usage_hint(cmd, stderr);
  return 2;
}

static int cmd_keygen(cli_config_t *cfg) {
  if (!cfg->vf.out || cfg->npositional)
    return usage(CMD_KEYGEN, _("keygen needs -o NAME (and nothing else)"));
  char kid[VC_VERIFY_KEYID_LEN], fp[VC_VERIFY_FINGERPRINT_LEN];
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_status_t st = vc_key_generate(cfg->vf.out, cfg->vf.comment, kid, fp, d);
  int code = cli_finish(st, d, NULL);
  vc_diag_free(d);
  if (st != VC_OK) return code;
  printf(_("private key: %s.key (keep it secret: whoever has it can sign certificates)\n"
           "public key:  %s.pub (give it to verifiers; put it in the verification page)\n"
           "key id:      %s\nfingerprint: %s\n"),
         cfg->vf.out, cfg->vf.out, kid, fp);
  return 0;
}

/* Prints one value of a verdict, escaped for the terminal, after its
 * label padded to 12 characters (not bytes: the labels are Vietnamese). */
static void show(const char *label, const char *v) {
  if (!v || !*v) return;
  char *e = vc_text_escape(v, strlen(v), false);
  int chars = cli_chars(label);
  printf("  %s%*s %s\n", label, chars < 12 ? 12 - chars : 0, "", e ? e : "?");
  free(e);
}

/* Prints the verdict on one payload; true when valid.  The reason and date
 * of a revocation are the ledger's words: escaped like the values. */
static bool report(const char *what, const vc_verify_result_t *r) {
  bool ok = r->verdict == VC_VERIFY_VALID;
  if (what) printf("%s:\n", what);
  char *why = vc_text_escape(r->why, strlen(r->why), false);
  char *on = vc_text_escape(r->revoked_on, strlen(r->revoked_on), false);
  if (ok) fputs(_("Hợp lệ (valid)\n"), stdout);
  else if (r->verdict == VC_VERIFY_REVOKED)
    printf(_("Không hợp lệ: đã bị thu hồi (revoked) on %s: %s\n"), on ? on : "?", why ? why : "?");
  else printf("Không hợp lệ (%s): %s\n", vc_verify_verdict_name(r->verdict), why ? why : "?");
  free(why);
  free(on);
  if (r->verdict == VC_VERIFY_VALID || r->verdict == VC_VERIFY_REVOKED) {
    const vc_verify_values_t *v = &r->values;
    show("Họ và tên:", v->name);
    show("Nội dung:", v->award);
    char buf[64], key[280];
    snprintf(buf, sizeof buf, "%s đồng", v->amount);
    if (*v->amount) show("Số tiền:", buf);
    show("Ngày cấp:", v->date);
    show("Số hiệu:", v->serial);
    snprintf(key, sizeof key, "%s%s%s%s", v->key_id, *r->key_comment ? " (" : "",
             r->key_comment, *r->key_comment ? ")" : "");
    show("Khóa ký:", key);
  }
  return ok;
}

/* The keyring of --keys A.pub,B.pub into *k; the status (a usage fault or
 * no memory said here, the keys' faults in d). */
static vc_status_t load_keys(const char *list, vc_keyring_t **k, vc_diag_t *d) {
  char *copy = strdup(list), *save = NULL;
  const char *paths[MAX_KEYS];
  size_t n = 0;
  bool many = false;
  *k = NULL;
  if (!copy) {
    fputs(_("vncert: out of memory\n"), stderr);
    return VC_E_NOMEM;
  }
  for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (n == MAX_KEYS) many = true;
    else paths[n++] = t;
  }
  vc_status_t st = VC_E_USAGE;
  if (many || n == 0) fprintf(stderr, _("vncert: --keys names 1 to %d public key files\n"), MAX_KEYS);
  else if (!(*k = vc_keyring_load(paths, n, d)))
    st = vc_diag_status(d) != VC_OK ? vc_diag_status(d) : VC_E_INTERNAL; /* never silent */
  else st = VC_OK;
  free(copy);
  return st;
}

/* Verifies one argument (a PDF file, or a URL or digits); counts into
 * *valid and *all. */
static vc_status_t verify_arg(const char *arg, const vc_keyring_t *keys,
                              const vc_revocation_t *rev, size_t nrev, int *valid, int *all,
                              vc_diag_t *d) {
  struct stat sb;
  vc_verify_result_t r;
  if (stat(arg, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    vc_status_t st = vc_verify_text(arg, keys, rev, nrev, &r, d);
    if (st == VC_OK) *valid += report(NULL, &r), (*all)++;
    return st;
  }
  char **uris;
  size_t n;
  vc_status_t st = vc_verify_pdf_uris(arg, &uris, &n, d);
  if (st != VC_OK) return st;
  size_t found = 0;
  for (size_t i = 0; i < n; i++) {
    if (st == VC_OK && strchr(uris[i], '#')) {
      char what[64];
      snprintf(what, sizeof what, _("QR code %zu"), ++found);
      st = vc_verify_text(uris[i], keys, rev, nrev, &r, d);
      if (st == VC_OK) *valid += report(what, &r), (*all)++;
    }
    free(uris[i]);
  }
  free(uris);
  if (st == VC_OK && !found) /* a PDF without any: not a certificate to trust */
    fprintf(stderr, _("vncert: %s: no vncert QR code link in this PDF\n"), arg), (*all)++;
  return st;
}

/* What verify and verify-page both check against: the keys of --keys into
 * *keys and, with --ledger, the revocations into *rev / *nrev (the caller
 * frees all three, also on failure).  The status; the reasons in d. */
static vc_status_t keys_and_revocations(cli_config_t *cfg, vc_keyring_t **keys,
                                        vc_revocation_t **rev, size_t *nrev, vc_diag_t *d) {
  vc_status_t st = load_keys(cfg->vf.keys, keys, d);
  if (st != VC_OK) return st;
  return cfg->job.ledger ? vc_job_revocations(&cfg->job, rev, nrev, d) : VC_OK;
}

static int cmd_verify(cli_config_t *cfg) {
  if (!cfg->npositional || !cfg->vf.keys)
    return usage(CMD_VERIFY, _("verify needs a URL, digits or FILE.pdf, and --keys"));
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_keyring_t *keys = NULL;
  vc_revocation_t *rev = NULL;
  size_t nrev = 0;
  vc_status_t st = keys_and_revocations(cfg, &keys, &rev, &nrev, d);
  int valid = 0, all = 0;
  for (int i = 0; st == VC_OK && i < cfg->npositional; i++)
    st = verify_arg(cfg->positional[i], keys, rev, nrev, &valid, &all, d);
  int code = cli_finish(st, d, NULL);
  vc_revocations_free(rev, nrev);
  vc_keyring_free(keys);
  vc_diag_free(d);
  if (st != VC_OK) return code;
  return valid == all ? 0 : 1;
}

static int cmd_revoke(cli_config_t *cfg) {
  if (cfg->npositional != 1 || !cfg->vf.reason || !*cfg->vf.reason || !cfg->job.ledger)
    return usage(CMD_REVOKE, _("revoke needs a SERIAL, --reason TEXT and --ledger"));
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_status_t st = vc_job_revoke(&cfg->job, cfg->positional[0], cfg->vf.reason, d);
  int code = cli_finish(st, d, NULL);
  vc_diag_free(d);
  if (st == VC_OK)
    printf(_("revoked %s: vncert verify refuses it; make the verification page again "
             "(vncert verify-page) so that it knows\n"), cfg->positional[0]);
  return code;
}

/* `vncert verify-page --keys A.pub[,B.pub] [--ledger L] -o PAGE.html
 * [--school NAME]` (issue 11, point 5): the school's verification page, with
 * the ledger's revocations as they are now. */
static int cmd_verify_page(cli_config_t *cfg) {
  if (!cfg->vf.keys || !cfg->vf.out || cfg->npositional)
    return usage(CMD_VERIFY_PAGE, _("verify-page needs --keys and -o PAGE.html (and nothing else)"));
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_keyring_t *keys = NULL;
  vc_revocation_t *rev = NULL;
  size_t nrev = 0;
  vc_status_t st = keys_and_revocations(cfg, &keys, &rev, &nrev, d);
  vc_verify_page_t page = {.keys = keys, .revoked = rev, .nrevoked = nrev,
                           .school = cfg->vf.school};
  if (st == VC_OK) st = vc_verify_page_write(&page, cfg->vf.out, d);
  int code = cli_finish(st, d, _("the page was not written"));
  if (st == VC_OK && !cfg->quiet) {
    size_t nk = vc_keyring_count(keys);
    char ks[64], rs[64];
    snprintf(ks, sizeof ks, vc__ngettext("%zu key", "%zu keys", nk), nk);
    snprintf(rs, sizeof rs, vc__ngettext("%zu revocation", "%zu revocations", nrev), nrev);
    fprintf(stderr, _("vncert: verification page written to %s (%s, %s)\n"), cfg->vf.out, ks, rs);
  }
  vc_revocations_free(rev, nrev);
  vc_keyring_free(keys);
  vc_diag_free(d);
  return code;
}

int cli_cmd_verify(cli_config_t *cfg) {
  if (cfg->cmd == CMD_KEYGEN) return cmd_keygen(cfg);
  if (cfg->cmd == CMD_VERIFY) return cmd_verify(cfg);
  if (cfg->cmd == CMD_VERIFY_PAGE) return cmd_verify_page(cfg);
  return cmd_revoke(cfg);
}
