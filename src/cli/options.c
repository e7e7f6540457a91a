/*
 * options.c - vncert's option table and parser (curl's tool style: one table
 * says which option exists, for which commands, and where it lands).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

typedef enum { OPT_FLAG, OPT_STR, OPT_WHERE } opt_type_t;

typedef struct opt {
  const char *lng;
  char shrt;
  opt_type_t type;
  size_t off; /* offset in cli_config_t */
  unsigned cmds;
  const char *arg, *help;
} opt_t;

#define C(f) offsetof(cli_config_t, f)
#define J(f) (offsetof(cli_config_t, job) + offsetof(vc_job_t, f))
#define ALLDATA (CMD_RENDER | CMD_CHECK | CMD_PROOF)
#define READS (CMD_RENDER | CMD_CHECK | CMD_DATA)
#define LIST_OPTS (READS | CMD_PROOF | CMD_REPRINT | CMD_KIOSK)
#define LEDGER_ALL (CMD_RENDER | CMD_REPRINT | CMD_LOG | CMD_LEDGER | CMD_PRINT)
#define L(f) (offsetof(cli_config_t, log) + offsetof(vc_log_opts_t, f))
#define PRINTS (CMD_RENDER | CMD_PRINT)
#define PRINTS_CAL (PRINTS | CMD_CALIBRATE) /* what following a job needs */
#define V(f) (offsetof(cli_config_t, vf) + offsetof(__typeof__(((cli_config_t *)0)->vf), f))
#define K(f) (offsetof(cli_config_t, ki) + offsetof(__typeof__(((cli_config_t *)0)->ki), f))
#define LB(f) (offsetof(cli_config_t, lb) + offsetof(__typeof__(((cli_config_t *)0)->lb), f))
#define CAL(f) (offsetof(cli_config_t, cal) + offsetof(__typeof__(((cli_config_t *)0)->cal), f))
#define P(f) (offsetof(cli_config_t, pr) + offsetof(__typeof__(((cli_config_t *)0)->pr), f))

static const opt_t OPTS[] = {
    {"output", 'o', OPT_STR, J(out), CMD_RENDER | CMD_PROOF, "FILE.pdf",
     N_("write the PDF here (replaced only by a complete new file; through a link "
     "to its target); '-' for standard output")},
    {"split", 0, OPT_STR, J(split_dir), CMD_RENDER, "DIR",
     N_("one PDF per recipient, into DIR (created if missing)")},
    {"name", 0, OPT_STR, J(name_pattern), CMD_RENDER, "PATTERN",
     N_("file names for --split, from fields: '{ma_sv}-{ho_ten}' (default '{ma_sv}')")},
    {"ascii", 0, OPT_FLAG, J(ascii_names), CMD_RENDER, NULL,
     N_("--split file names without diacritics (Nguyễn -> Nguyen, Đ -> D)")},
    {"overwrite", 0, OPT_FLAG, J(overwrite), CMD_RENDER, NULL,
     N_("--split may replace files that already exist")},
    {"images", 0, OPT_STR, J(images_dir), ALLDATA | CMD_REPRINT | CMD_KIOSK, "DIR",
     N_("per-record images ({anh}) may also come from this folder (default: only "
     "the data file's folder)")},
    {"rows", 'r', OPT_STR, J(rows), ALLDATA | CMD_DATA, "LIST",
     N_("only these records, e.g. 3,7-9 (1 = first record after the header)")},
    {"where", 'w', OPT_WHERE, 0, READS, "COL=VALUE",
     N_("only records whose column has this value (repeat to combine): lop=K19MN")},
    {"match", 'm', OPT_STR, J(match), READS, "TEXT",
     N_("find people by name as typed, accents optional: 'nguyen thi thao', 'Thảo'")},
    {"all-matches", 0, OPT_FLAG, J(all_matches), CMD_RENDER | CMD_CHECK, NULL,
     N_("--match may select several records (default: exactly one, for reprints)")},
    {"sort", 's', OPT_STR, J(sort), READS, "KEYS",
     N_("order: 'ten' = class-list order (given name, then family and middle names "
     "as written), 'ten-dem-ho' = given, middle, family name; or columns: lop,ten")},
    {"tones", 0, OPT_STR, C(tones_arg), READS, "ORDER",
     N_("tone order for --sort: vietlex (default: ngang huyền hỏi ngã sắc nặng) or sac-first")},
    {"key", 'k', OPT_STR, J(key), READS, "COLUMN",
     N_("column whose values must be unique (default: ma_sv when the data has it)")},
    {"encoding", 'e', OPT_STR, J(read.encoding), LIST_OPTS, "ENC",
     N_("text encoding of DATA: utf-8 (default), utf-16, windows-1258, tcvn3")},
    {"sheet", 0, OPT_STR, J(read.sheet), LIST_OPTS, "NAME",
     N_("the sheet of an .xlsx/.ods workbook to read (default: the first)")},
    {"header-row", 0, OPT_STR, C(header_row_arg), LIST_OPTS, "N",
     N_("the header is on line (row) N; the lines above it are passed over (default: the "
     "first row holding the template's fields, or the first that looks like a header)")},
    {"last-row", 0, OPT_STR, C(last_row_arg), LIST_OPTS, "N",
     N_("the records end on line (row) N; what follows (totals, signatures) is passed over "
     "(default: found by what those rows hold)")},
    {"visible-only", 0, OPT_FLAG, J(read.shape.visible_only), LIST_OPTS, NULL,
     N_("leave out the rows hidden or filtered out in the spreadsheet (default: read them, "
     "and count them in the summary)")},
    {"volume-pages", 0, OPT_STR, C(volume_pages_arg), CMD_RENDER, "N",
     N_("write volumes of N pages: OUT-001.pdf, OUT-002.pdf, ...")},
    {"data", 'd', OPT_STR, J(data_path), CMD_PROOF, "DATA.csv",
     N_("fill the proof with the first (or --rows) record instead of the sample")},
    {"fonts-dir", 0, OPT_STR, J(fonts_dir), ALLDATA | CMD_FONTS | CMD_REPRINT | CMD_PRINT | CMD_KIOSK, "DIR",
     N_("bundled fonts directory (default: the one installed with vncert)")},
    {"layout-tsv", 0, OPT_STR, J(layout_tsv), CMD_RENDER, "FILE",
     N_("write where every line of text was placed (for tests)")},
    {"print", 0, OPT_STR, P(queue), CMD_RENDER, "QUEUE",
     N_("then print it on this CUPS printer and wait until it has printed (vncert printers "
     "lists them); without -o nothing is kept")},
    {"printer", 'P', OPT_STR, P(queue), CMD_PRINT | CMD_KIOSK, "QUEUE", N_("the CUPS printer (queue) to print on")},
    {"copies", 0, OPT_STR, P(copies), PRINTS, "N", N_("copies of each page (default 1)")},
    {"media", 0, OPT_STR, P(media), PRINTS, "SIZE",
     N_("paper size: A4, A5, Letter or a PWG name (render: default the template's paper)")},
    {"orientation", 0, OPT_STR, P(orientation), PRINTS, "O",
     N_("portrait, landscape, reverse-landscape or reverse-portrait (default: as the pages are)")},
    {"sides", 0, OPT_STR, P(sides), PRINTS, "S",
     N_("one-sided, two-sided-long-edge or two-sided-short-edge (duplex)")},
    {"no-wait", 0, OPT_FLAG, P(no_wait), PRINTS_CAL, NULL,
     N_("return once CUPS has accepted the job, and print its id")},
    {"timeout", 0, OPT_STR, P(timeout), PRINTS_CAL, "SECONDS",
     N_("give up when a job has not started printing after this long (default 600; 0 never)")},
    {"job-pages", 0, OPT_STR, P(job_pages), PRINTS, "N",
     N_("send at most N pages per CUPS job (default and most 5000: CUPS breaks on longer "
     "jobs); a longer run goes as several jobs, in order")},
    {"server", 0, OPT_STR, P(server), PRINTS_CAL | CMD_PRINTERS | CMD_LOG, "HOST:PORT",
     N_("the CUPS server (default: CUPS_SERVER, client.conf, the local one)")},
    {"quiet", 'q', OPT_FLAG, C(quiet), ALLDATA | CMD_DATA | CMD_REPRINT | CMD_LEDGER | CMD_PRINT | CMD_VERIFY_PAGE | CMD_SHEETS | CMD_CALIBRATE, NULL, N_("no progress or summary")},
    {"dong", 0, OPT_FLAG, C(dong), CMD_WORDS, NULL,
     N_("receipt form: \"Năm triệu đồng chẵn\"")},
    {"ngan", 0, OPT_FLAG, C(ngan), CMD_WORDS, NULL, N_("say \"ngàn\" for thousands")},
    {"le", 0, OPT_FLAG, C(le), CMD_WORDS, NULL, N_("say \"lẻ\" instead of \"linh\"")},
    {"ti", 0, OPT_FLAG, C(ti), CMD_WORDS, NULL, N_("say \"tỉ\" instead of \"tỷ\"")},
    {"bon", 0, OPT_FLAG, C(bon), CMD_WORDS, NULL, N_("say \"bốn\" instead of \"tư\" after mươi")},
    {"all", 'a', OPT_FLAG, C(all_fonts), CMD_FONTS, NULL, N_("also show the file of each font")},
    /* ---- the issuance ledger (issue 9, docs/ledger.md) ---- */
    {"ledger", 0, OPT_STR, J(ledger), LEDGER_ALL | CMD_KIOSK, "FILE|URI",
     N_("the issuance ledger: an SQLite file, or postgresql://... (default when the "
     "template declares serial: ~/.local/share/vncert/so-cap-phat-YYYY-YYYY.sqlite)")},
    {"operator", 0, OPT_STR, J(operator_name), CMD_RENDER | CMD_REPRINT | CMD_PRINT | CMD_REVOKE, "NAME",
     N_("who prints, as the ledger records it (default: the login name)")},
    {"new-issue", 0, OPT_FLAG, J(new_issue), CMD_RENDER, NULL,
     N_("issue new documents with new serials, replacing the issued ones (needs --reason)")},
    {"reason", 0, OPT_STR, J(reason), CMD_RENDER | CMD_REPRINT, "TEXT",
     N_("why: a new issue, a reprint (recorded in the ledger)")},
    {"key", 0, OPT_STR, C(rp.key), CMD_REPRINT, "ID",
     N_("the record to print again, by its key (ma_sv)")},
    {"serial", 0, OPT_STR, C(rp.serial), CMD_REPRINT, "SERIAL",
     N_("the document to print again, by its serial")},
    {"match", 'm', OPT_STR, J(match), CMD_REPRINT, "TEXT",
     N_("the person to print again, by name as typed (exactly one must match)")},
    {"key-column", 0, OPT_STR, J(key), CMD_REPRINT | CMD_PRINT, "COLUMN",
     N_("the list's unique column (default: ma_sv)")},
    {"force", 0, OPT_FLAG, C(rp.force), CMD_REPRINT, NULL,
     N_("reprint although the data or the template changed since issue (recorded)")},
    {"output", 'o', OPT_STR, J(out), CMD_REPRINT, "FILE.pdf", N_("write the PDF here")},
    {"key", 0, OPT_STR, L(key), CMD_LOG, "KEY", N_("events of this record key")},
    {"match", 'm', OPT_STR, L(match), CMD_LOG, "NAME", N_("events of people so named (as --match)")},
    {"serial", 0, OPT_STR, L(serial), CMD_LOG, "SERIAL", N_("events of this document")},
    {"template", 0, OPT_STR, L(template_path), CMD_LOG, "FILE", N_("events of this template")},
    {"from", 0, OPT_STR, L(from), CMD_LOG, "YYYY-MM-DD", N_("events on or after this day")},
    {"to", 0, OPT_STR, L(to), CMD_LOG, "YYYY-MM-DD", N_("events on or before this day")},
    {"kind", 0, OPT_STR, L(kind), CMD_LOG, "KIND", N_("render, print, reprint or new-issue")},
    {"csv", 0, OPT_FLAG, L(csv), CMD_LOG, NULL, N_("CSV (UTF-8 with BOM, for Excel) instead of a table")},
    {"totals", 0, OPT_FLAG, L(totals), CMD_LOG, NULL,
     N_("sums of so_tien per template and issue day")},
    {"unprinted", 0, OPT_FLAG, L(unprinted), CMD_LOG, NULL,
     N_("the issued documents not printed yet (no CUPS job of theirs completed), with "
     "their last print job; asks CUPS first about jobs not ended")},
    {"pending", 0, OPT_FLAG, P(pending), CMD_PRINT, NULL,
     N_("print the ledger's issued documents not printed yet (vncert log --unprinted), "
     "drawn again from the values it recorded; with --ledger, --template")},
    {"template", 0, OPT_STR, J(template_path), CMD_PRINT, "FILE",
     N_("--pending: only the documents of this template")},
    /* ---- verifiable certificates (issue 11, docs/verify.md) ---- */
    {"output", 'o', OPT_STR, V(out), CMD_KEYGEN, "NAME",
     N_("write the key pair NAME.key (private: keep it secret) and NAME.pub (public)")},
    {"comment", 0, OPT_STR, V(comment), CMD_KEYGEN, "TEXT",
     N_("a note in the public key file: the school and the year ('THCS Lê Lợi 2026-2027')")},
    {"keys", 0, OPT_STR, V(keys), CMD_VERIFY | CMD_VERIFY_PAGE, "A.pub[,B.pub]",
     N_("the school's public keys (several may be valid at once)")},
    {"ledger", 0, OPT_STR, J(ledger), CMD_VERIFY | CMD_REVOKE | CMD_VERIFY_PAGE, "FILE|URI",
     N_("the issuance ledger (SQLite file or postgresql://...): its revocations")},
    {"reason", 0, OPT_STR, V(reason), CMD_REVOKE, "TEXT",
     N_("why the certificate is revoked (shown to whoever checks it)")},
    {"output", 'o', OPT_STR, V(out), CMD_VERIFY_PAGE, "PAGE.html",
     N_("write the page here (put it on the web host at the template's url:)")},
    {"school", 0, OPT_STR, V(school), CMD_VERIFY_PAGE, "NAME",
     N_("the school's name, shown at the top of the page")},
    /* ---- the ceremony-day kiosk (issue 12, docs/kiosk-api.md) ---- */
    {"key", 0, OPT_STR, J(key), CMD_KIOSK, "COLUMN",
     N_("the list's unique column: a student ID or invitation code typed or scanned finds "
     "its record (default: ma_sv)")},
    {"port", 0, OPT_STR, K(port), CMD_KIOSK, "N", N_("the HTTP port (default 8080; 0: any free one)")},
    {"bind", 0, OPT_STR, K(bind), CMD_KIOSK, "ADDRESS",
     N_("listen on this address (default 127.0.0.1; another needs --access-token-file)")},
    {"pin-file", 0, OPT_STR, K(pin_file), CMD_KIOSK, "FILE",
     N_("the staff PIN's hash, made by vncert kiosk-pin FILE (needed)")},
    {"access-token-file", 0, OPT_STR, K(token_file), CMD_KIOSK, "FILE",
     N_("a secret (first line) tablets on the network open once: http://HOST:PORT/?token=...")},
    {"idle", 0, OPT_STR, K(idle), CMD_KIOSK, "SECONDS",
     N_("the awardee's screen returns to the start after this long untouched (default 60)")},
    {"confirm", 0, OPT_FLAG, K(confirm), CMD_KIOSK, NULL,
     N_("start in \"staff confirms each print\" mode (the staff page switches it)")},
    {"cups-server", 0, OPT_STR, P(server), CMD_KIOSK, "HOST:PORT",
     N_("the CUPS server (default: CUPS_SERVER, client.conf, the local one)")},
    {"search-rate", 0, OPT_STR, K(search_rate), CMD_KIOSK, "N",
     N_("searches per second allowed per client (default 10, bursts of 3x)")},
    {"verbose", 'v', OPT_FLAG, K(verbose), CMD_KIOSK, NULL, N_("a line per request on stderr")},
    {"overwrite", 0, OPT_FLAG, K(overwrite), CMD_KIOSK_PIN, NULL, N_("replace an existing PIN file")},
    /* ---- label sheets (issue 13, templates/README.md) ---- */
    {"start", 0, OPT_STR, LB(start), CMD_RENDER | CMD_CHECK, "N",
     N_("labels: begin at label N of the first sheet (a partly used sheet; counted in "
     "--order)")},
    {"label-copies", 0, OPT_STR, LB(copies), CMD_RENDER | CMD_CHECK, "N",
     N_("labels: N labels for each record (default 1)")},
    {"copies-from", 0, OPT_STR, J(labels.copies_from), CMD_RENDER | CMD_CHECK, "COLUMN",
     N_("labels: each record's number of labels from this column (e.g. so_luong)")},
    {"order", 0, OPT_STR, LB(order), CMD_RENDER | CMD_CHECK, "across|down",
     N_("labels: fill each sheet row by row (across, default) or column by column (down)")},
    {"outlines", 0, OPT_FLAG, J(labels.outlines), CMD_RENDER, NULL,
     N_("labels: draw every label's edge, for a test print on plain paper")},
    {"products", 0, OPT_STR, LB(products), CMD_SHEETS, "FILE|DIR",
     N_("also list the products of this gLabels templates file (or folder of them)")},
    /* ---- printer calibration (issue 13, point 2) ---- */
    {"output", 'o', OPT_STR, CAL(out), CMD_CALIBRATE, "PAGE.pdf",
     /* xgettext:no-c-format */
     N_("write the calibration page: print it at 100% on the printer, then measure it")},
    {"save", 0, OPT_STR, CAL(save), CMD_CALIBRATE, "NAME",
     N_("save the printer's profile under NAME (its CUPS queue's name: render --print NAME "
     "uses it) in ~/.config/vncert/calibration/NAME.yaml")},
    {"measured", 0, OPT_STR, CAL(measured), CMD_CALIBRATE, "AX,AY,BX,CY",
     N_("what the printed page measures, in mm: from the paper's left edge to A and B, from "
     "its top edge to A and C")},
    {"print", 0, OPT_STR, P(queue), CMD_CALIBRATE, "QUEUE",
     N_("print the calibration page on this CUPS printer (A4, at 100%) and wait until it "
     "has printed; with -o it is also kept")},
    {"fonts-dir", 0, OPT_STR, J(fonts_dir), CMD_CALIBRATE, "DIR",
     N_("bundled fonts directory (default: the one installed with vncert)")},
    {"calibration", 0, OPT_STR, J(calibration), CMD_CHECK, "NAME",
     N_("also check this printer's calibration profile (a name or a profile file's path): "
     "that it exists and is valid, as render --calibration NAME would read it")},
    {"calibration", 0, OPT_STR, J(calibration), CMD_RENDER, "NAME",
     N_("apply this printer's calibration (vncert calibrate --save NAME, or a profile "
     "file's path) to every page (default with --print QUEUE: QUEUE's, when saved)")},
    {"help", 'h', OPT_FLAG, C(help), ~0u, NULL, N_("show this help")},
};
#define NOPTS (sizeof OPTS / sizeof *OPTS)

static const struct {
  cli_cmd_t cmd;
  const char *name, *args, *what;
} CMDS[] = {
    {CMD_RENDER, "render", "TEMPLATE DATA -o OUT.pdf",
     N_("merge a recipient list into print-ready PDF certificates")},
    {CMD_CHECK, "check", "TEMPLATE DATA",
     N_("preflight: report every problem in the data and template, print nothing")},
    {CMD_PROOF, "proof", "TEMPLATE -o OUT.pdf",
     N_("the template with its boxes outlined over a millimetre grid")},
    {CMD_PRINT, "print", "FILE.pdf --printer QUEUE",
     N_("print a PDF through CUPS and wait until the printer is done")},
    {CMD_PRINTERS, "printers", "", N_("the CUPS printers (queues), their state and problems")},
    {CMD_FONTS, "fonts", "", N_("fonts that can draw Vietnamese")},
    {CMD_SHEETS, "sheets", "[TEXT]",
     N_("label sheet products (gLabels' and vncert's presets), searched by TEXT")},
    {CMD_CALIBRATE, "calibrate", "-o PAGE.pdf | --print QUEUE | --save NAME --measured AX,AY,BX,CY",
     N_("a printer's calibration: the page to print and measure, then its profile")},
    {CMD_DATA, "data", "DATA", N_("the records as vncert reads them, as CSV on standard output")},
    {CMD_WORDS, "words", "AMOUNT", N_("an amount in Vietnamese words (năm triệu)")},
    {CMD_REPRINT, "reprint", "TEMPLATE DATA (--key ID | --match TEXT | --serial S) --reason TEXT",
     N_("print an issued document again: same serial, marked and recorded as a reprint")},
    {CMD_LOG, "log", "",
     N_("the ledger's documents and events (who printed what, when), or totals")},
    {CMD_LEDGER, "ledger", "export FILE | import FILE",
     N_("move a ledger (SQLite <-> PostgreSQL) through a CSV file")},
    {CMD_KEYGEN, "keygen", "-o NAME", N_("make the school's signing key pair for QR codes")},
    {CMD_VERIFY, "verify", "(URL | DIGITS | FILE.pdf) --keys A.pub[,B.pub]",
     N_("check a certificate's signed QR code: valid, or why not")},
    {CMD_REVOKE, "revoke", "SERIAL --reason TEXT --ledger L",
     N_("revoke an issued certificate: verify and new verification pages refuse it")},
    {CMD_VERIFY_PAGE, "verify-page", "--keys A.pub -o PAGE.html",
     N_("the school's web page that checks a certificate's QR code, offline, in any browser")},
    {CMD_KIOSK, "kiosk", "TEMPLATE DATA --printer QUEUE --pin-file FILE",
     N_("the ceremony-day kiosk: awardees find their name on a touchscreen and print")},
    {CMD_KIOSK_PIN, "kiosk-pin", "FILE", N_("set the kiosk's staff PIN (stored as a slow hash)")},
};
#define NCMDS (sizeof CMDS / sizeof *CMDS)

const char *cli_cmd_name(cli_cmd_t cmd) {
  for (size_t i = 0; i < NCMDS; i++)
    if (CMDS[i].cmd == cmd) return CMDS[i].name;
  return "vncert";
}

void cli_usage(cli_cmd_t cmd, FILE *fp) {
  if (cmd == CMD_NONE) {
    fputs(_("usage: vncert COMMAND [OPTIONS] ...\n\n"
            "Award certificates, scholarship receipts and labels for Vietnamese "
            "schools,\nfrom a spreadsheet of recipients.\n\ncommands:\n"), fp);
    for (size_t i = 0; i < NCMDS; i++)
      fprintf(fp, "  %-11s %s\n", CMDS[i].name, _(CMDS[i].what));
    fputs(_("\n'vncert COMMAND --help' tells more.  Exit status: 0 done, 1 problems "
            "in the input\n(nothing written), 2 wrong command line.\n"), fp);
    return;
  }
  for (size_t i = 0; i < NCMDS; i++)
    if (CMDS[i].cmd == cmd)
      fprintf(fp, _("usage: vncert %s %s [OPTIONS]\n%s.\n\noptions:\n"), CMDS[i].name,
              CMDS[i].args, _(CMDS[i].what));
  for (size_t i = 0; i < NOPTS; i++) {
    if (!(OPTS[i].cmds & (unsigned)cmd)) continue;
    char left[64];
    /* "-o, --output FILE" and "    --split DIR": long names line up */
    if (OPTS[i].shrt)
      snprintf(left, sizeof left, "-%c, --%s%s%s", OPTS[i].shrt, OPTS[i].lng,
               OPTS[i].arg ? " " : "", OPTS[i].arg ? OPTS[i].arg : "");
    else
      snprintf(left, sizeof left, "    --%s%s%s", OPTS[i].lng, OPTS[i].arg ? " " : "",
               OPTS[i].arg ? OPTS[i].arg : "");
    fprintf(fp, "  %-28s %s\n", left, _(OPTS[i].help));
  }
}

int cli_chars(const char *s) {
  int chars = 0;
  for (const char *p = s; *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
  return chars;
}

void cli_usage_hint(cli_cmd_t cmd, FILE *fp) {
  for (size_t i = 0; i < NCMDS && cmd != CMD_NONE; i++)
    if (CMDS[i].cmd == cmd) {
      fprintf(fp, _("usage: vncert %s %s [OPTIONS]\n'vncert %s --help' lists every option.\n"),
              CMDS[i].name, CMDS[i].args, CMDS[i].name);
      return;
    }
  cli_usage(CMD_NONE, fp); /* no command yet: the list of commands */
}

/* The command's option of that long name (len bytes; name NULL: of the
 * short name c): --key is a column for render, a record for reprint; else
 * any, for the "not for this command" error. */
static const opt_t *find_opt(const char *name, size_t len, char c, unsigned cmd) {
  const opt_t *any = NULL;
  for (size_t i = 0; i < NOPTS; i++)
    if (name ? strlen(OPTS[i].lng) == len && strncmp(OPTS[i].lng, name, len) == 0
             : OPTS[i].shrt == c) {
      if (OPTS[i].cmds & cmd) return &OPTS[i];
      any = &OPTS[i];
    }
  return any;
}

static int usage_error(cli_config_t *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(cli_config_t *cfg, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "vncert: ");
  vfprintf(stderr, _(fmt), ap); /* the formats are extracted (XGETTEXT_KW) */
  fprintf(stderr, "\n");
  va_end(ap);
  cli_usage_hint(cfg->cmd, stderr);
  return 2;
}

int cli_parse(int argc, char **argv, cli_config_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  if (argc < 2) return usage_error(cfg, "%s", _("a command is needed"));
  const char *c = argv[1];
  if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
    cfg->help = true;
    if (argc > 2) {
      for (size_t i = 0; i < NCMDS; i++)
        if (!strcmp(argv[2], CMDS[i].name)) cfg->cmd = CMDS[i].cmd;
    }
    return 0;
  }
  if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
    cfg->version = true;
    return 0;
  }
  for (size_t i = 0; i < NCMDS; i++)
    if (!strcmp(c, CMDS[i].name)) cfg->cmd = CMDS[i].cmd;
  if (cfg->cmd == CMD_NONE) return usage_error(cfg, "unknown command '%s'", c);
  bool only_positional = false;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const opt_t *o = NULL;
    const char *val = NULL;
    if (!only_positional && !strcmp(a, "--")) {
      only_positional = true;
      continue;
    }
    if (!only_positional && a[0] == '-' && a[1] == '-') {
      const char *eq = strchr(a + 2, '=');
      o = find_opt(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2), 0, (unsigned)cfg->cmd);
      if (eq) val = eq + 1;
    } else if (!only_positional && a[0] == '-' && a[1] && !a[2] &&
               !(a[1] >= '0' && a[1] <= '9')) {
      o = find_opt(NULL, 0, a[1], (unsigned)cfg->cmd);
    } else {
      if (cfg->npositional == 4) return usage_error(cfg, "too many arguments ('%s')", a);
      cfg->positional[cfg->npositional++] = a;
      continue;
    }
    if (!o || !(o->cmds & (unsigned)cfg->cmd))
      return usage_error(cfg, "unknown option '%s' for this command", a);
    char *field = (char *)cfg + o->off;
    if (o->type == OPT_FLAG) {
      if (val) return usage_error(cfg, "option '%s' takes no value", a);
      *(bool *)field = true;
      continue;
    }
    if (!val) {
      if (i + 1 >= argc) return usage_error(cfg, "option '%s' needs a value", a);
      val = argv[++i];
    }
    if (o->type == OPT_STR) {
      *(const char **)field = val;
      continue;
    }
    if (!strchr(val, '=')) /* OPT_WHERE */
      return usage_error(cfg, "--where needs COLUMN=VALUE, not '%s'", val);
    if (cfg->job.nwhere == CLI_MAX_WHERE) return usage_error(cfg, "%s", _("too many --where"));
    cfg->where_list[cfg->job.nwhere++] = val;
    cfg->job.where = cfg->where_list;
  }
  return 0;
}
