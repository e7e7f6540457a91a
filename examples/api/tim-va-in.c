/*
 * tim-va-in.c ("find and print") - the kiosk's path through libvncert, in
 * one small program that uses only <vncert.h>: open the Giấy khen template
 * and a list, find a person by a name typed without accents (or by a
 * student ID), render that record's certificate to memory, write it to a
 * file.
 *
 * Build against an installed vncert:
 *   cc -o tim-va-in tim-va-in.c $(pkg-config --cflags --libs vncert)
 * Run:
 *   ./tim-va-in TEMPLATE.yaml LIST.csv "nguyen thi thu thao" out.pdf [FONTS_DIR]
 * (pkg-config --variable=templatesdir vncert and --variable=fontsdir vncert
 * name the installed templates and fonts.)
 * Exit 0 when a certificate was written, 1 otherwise (the reasons on
 * standard error).
 */
#include <stdio.h>
#include <stdlib.h>

#include <vncert.h>

/* Writes len bytes of pdf to path; false when it cannot. */
static bool write_file(const char *path, const unsigned char *pdf, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return false;
  bool ok = fwrite(pdf, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

int main(int argc, char **argv) {
  if (argc < 5 || argc > 6) {
    fprintf(stderr, "usage: %s TEMPLATE LIST NAME OUT.pdf [FONTS_DIR]\n", argv[0]);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  int code = 1;
  vc_engine_t *e = vc_engine_create(argv[1], argc == 6 ? argv[5] : NULL, d);
  vc_data_t *data = e ? vc_data_load(e, argv[2], NULL, d) : NULL;
  long found[5];
  long n = data ? vc_data_search(data, argv[3], 5, found, d) : -1;
  if (n == 0) fprintf(stderr, "no one in %s matches \"%s\"\n", argv[2], argv[3]);
  for (long i = 0; i < n; i++) /* best first, as a kiosk lists them */
    printf("%ld. %s (%s)\n", i + 1, vc_data_value(data, found[i], "ho_ten"),
           vc_data_value(data, found[i], "lop"));
  if (n > 0) {
    unsigned char *pdf;
    size_t len;
    if (vc_record_render(e, data, found[0], &pdf, &len, d) == VC_OK) {
      if (write_file(argv[4], pdf, len)) {
        printf("%s: %zu bytes\n", argv[4], len);
        code = 0;
      } else {
        perror(argv[4]);
      }
      free(pdf);
    }
  }
  vc_diag_print(d, stderr);
  vc_data_free(data);
  vc_engine_free(e);
  vc_diag_free(d);
  return code;
}
