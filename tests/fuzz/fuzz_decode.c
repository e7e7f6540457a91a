/*
 * fuzz_decode.c - libFuzzer target for every encoding path of the reader:
 * decode.c (BOMs, UTF-16, Windows-1258 and TCVN3 through iconv, the NFC
 * pass, the refusals), detect.c (the classifier runs on every input that is
 * not UTF-8) and then csv.c on the decoded text, as vc_input_read does.
 *
 * The first byte chooses the --encoding: none (twice as likely: the path
 * most files take), utf-8, utf-16, utf-16le, utf-16be, windows-1258, tcvn3.
 * Checks: no crash, leak or UB; converted text is valid UTF-8 NFC of the
 * length given (UTF-8 input may keep a few stray bytes for the CSV reader); every value the CSV reader keeps is
 * valid, clean UTF-8; messages are valid UTF-8 with sane positions; NULL
 * always comes with a reason; never "out of memory" or "internal" on small
 * inputs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "fuzzutil.h"
#include "core/text.h"
#include "input/csv.h"
#include "input/decode.h"
#include "input/detect.h"
#include "records/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ENCODINGS[8] = {NULL,       "utf-8",    "utf-16",       "utf-16le",
                                         "utf-16be", NULL,       "windows-1258", "tcvn3"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *enc = ENCODINGS[data[0] & 7];
  const char *buf = (const char *)data + 1;
  size_t len = size - 1;

  vc_diag_t *d = vc_diag_create();
  if (!d) return 0;
  size_t olen = 0;
  char used[32];
  char *out = vc_decode(buf, len, enc, "fuzz.csv", &olen, used, d);
  if (out) {
    if (out[olen] != '\0') abort();
    if (!used[0]) abort();
    /* converted text is valid UTF-8 and NFC (pieces are cut only in runs
     * over 64 KiB); UTF-8 input may keep stray bytes, which the CSV reader
     * must then report (check_value below sees only valid values) */
    bool converted = strncmp(used, "UTF-8", 5) != 0;
    if (converted && !vc_utf8_valid(out, olen, NULL)) abort();
    if (converted && olen < (64u << 10) && !memchr(out, 0, olen)) {
      char *n = vc_text_nfc(out, olen);
      if (!n || strcmp(n, out) != 0) abort();
      free(n);
    }
    vc_csv_info_t ci;
    vc_table_t *t = vc_csv_read_mem_info(out, olen, "fuzz.csv", d, &ci);
    if (t) {
      if (ci.delimiter != ',' && ci.delimiter != ';' && ci.delimiter != '\t') abort();
      if (ci.skipped_lines < 0) abort();
      fuzz_check_table(t);
      vc_table_free(t);
    } else if (vc_diag_count(d) == 0) {
      abort();
    }
    free(out);
  } else if (vc_diag_count(d) == 0) {
    abort();
  }
  fuzz_check_diags(d);
  vc_diag_free(d);

  /* the classifier alone, on the raw bytes, whatever they are */
  vc_detect_t r;
  vc_guess_t g = vc_detect_legacy(buf, len, &r);
  if (g < VC_GUESS_NONE || g >= VC_GUESS_NCAND) abort();
  for (int k = 1; k < VC_GUESS_NCAND; k++)
    if (r.valid[k] > r.words[k] || r.score[k] < 0 || r.score[k] > 1) abort();
  return 0;
}
