/*
 * calibrate.c - the calibration page (issue 13, point 2; vncert.h): an A4
 * page with crosshairs at known places and two rulers (mm).  The
 * user prints it on the printer to calibrate, measures from the paper's
 * edges to the crosshairs with a ruler, and `vncert calibrate --save NAME
 * --measured AX,AY,BX,CY` turns the four numbers into the printer's profile
 * (src/template/calibration.c), applied to every page of a render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font/fontset.h"
#include "layout/layout.h"
#include "render/pdf.h"
#include "vncert.h"

#define MM VC_MM_TO_PT
#define PW 210.0
#define PH 297.0

/* The crosshairs' centres, mm from the paper's top-left corner: A and B on
 * one line across, A and C on one line down, far apart so that a scale
 * error shows; D in the middle to check. */
static const struct { const char *name; double x, y; } marks[] = {
    {"A (20; 20 mm)", 20, 20}, {"B (190; 20 mm)", 190, 20}, {"C (20; 277 mm)", 20, 277},
    {"D (105; 148,5 mm)", 105, 148.5}};

static void text(vc_pdf_t *pdf, int font, double size, double x_mm, double y_mm, const char *s) {
  if (font >= 0) vc_pdf_text(pdf, font, size, 0, 0, 0, x_mm * MM, (PH - y_mm) * MM, s, strlen(s));
}

static void crosshair(vc_pdf_t *pdf, int font, double x, double y, const char *name) {
  vc_pdf_style_t st = {.stroke = true, .width = 0.25};
  vc_pdf_line(pdf, &st, (x - 8) * MM, (PH - y) * MM, (x + 8) * MM, (PH - y) * MM);
  vc_pdf_line(pdf, &st, x * MM, (PH - y - 8) * MM, x * MM, (PH - y + 8) * MM);
  vc_pdf_ellipse(pdf, &st, (x - 3) * MM, (PH - y - 3) * MM, 6 * MM, 6 * MM);
  text(pdf, font, 7, x + (x > 150 ? -30 : 4), y + (y > 250 ? -5 : 7), name);
}

/* A ruler across (at RULER_Y) or down (at RULER_X), ticks every mm, clear
 * of the crosshairs and of the text. */
#define RULER_Y 250.0
#define RULER_X 185.0
static void ruler(vc_pdf_t *pdf, int font, bool across) {
  vc_pdf_style_t st = {.stroke = true, .width = 0.2};
  double len = across ? PW : PH;
  for (int mm = 30; mm <= (int)len - 30; mm++) {
    double t = mm % 10 == 0 ? 4 : mm % 5 == 0 ? 2.5 : 1.5;
    if (across) vc_pdf_line(pdf, &st, mm * MM, (PH - RULER_Y) * MM, mm * MM, (PH - RULER_Y - t) * MM);
    else vc_pdf_line(pdf, &st, RULER_X * MM, (PH - mm) * MM, (RULER_X + t) * MM, (PH - mm) * MM);
    if (mm % 10 == 0 && font >= 0) {
      char lab[16];
      snprintf(lab, sizeof lab, "%d", mm);
      if (across) text(pdf, font, 5, mm - 1, RULER_Y + 7, lab);
      else text(pdf, font, 5, RULER_X + 5, mm + 1, lab);
    }
  }
}

static const char *const howto[] = {
    "Trang hiệu chỉnh máy in (vncert calibrate)",
    "1. In trang này trên máy in cần hiệu chỉnh, khổ A4, tỉ lệ 100% (không \"vừa trang\").",
    "2. Dùng thước đo (mm) từ mép TRÁI tờ giấy tới tâm dấu A và B, từ mép TRÊN tới tâm A và C.",
    "3. Ghi lại: vncert calibrate --save TÊN-MÁY-IN --measured AX,AY,BX,CY",
    "   (ví dụ: --measured 21.5,19.2,191.1,276.0). Máy in đúng cho: 20,20,190,277.",
    "4. In: vncert render ... --calibration TÊN-MÁY-IN (hoặc --print TÊN-MÁY-IN).",
};

vc_status_t vc_calibration_page(const char *out, const char *fonts_dir, vc_diag_t *d) {
  vc_fontset_t *fs = vc_fontset_create(fonts_dir, d);
  vc_font_t *f = fs ? vc_fontset_find(fs, "Noto Serif", NULL, NULL, "calibrate", 0, d) : NULL;
  vc_pdf_t *pdf = f ? vc_pdf_create("Hiệu chỉnh máy in", d) : NULL;
  vc_status_t st = VC_OK;
  if (!pdf || !vc_pdf_page(pdf, PW * MM, PH * MM)) {
    st = vc_diag_status(d) == VC_OK ? VC_E_INTERNAL : vc_diag_status(d);
  } else {
    int font = vc_pdf_font(pdf, vc_font_path(f), vc_font_face_index(f));
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
      crosshair(pdf, font, marks[i].x, marks[i].y, marks[i].name);
    ruler(pdf, font, true);
    ruler(pdf, font, false);
    for (size_t i = 0; i < sizeof howto / sizeof *howto; i++)
      text(pdf, font, i ? 8 : 11, 30, 45 + 6 * (double)i + (i ? 3 : 0), howto[i]);
    if (!vc_pdf_save_file(pdf, out)) st = vc_diag_status(d);
  }
  vc_pdf_free(pdf);
  vc_fontset_free(fs);
  return st;
}

/* From what the user measured on the printed page to the correction:
 * the printer puts p at off + s p; drawing q = (p - off) / s puts it at p. */
bool vc_calibration_from_measured(const double m[4], vc_calibration_t *c) {
  double sx = (m[2] - m[0]) / (marks[1].x - marks[0].x);
  double sy = (m[3] - m[1]) / (marks[2].y - marks[0].y);
  if (!(sx > 0.5 && sx < 2 && sy > 0.5 && sy < 2)) return false;
  double ox = m[0] - sx * marks[0].x, oy = m[1] - sy * marks[0].y;
  c->scale_x = 1 / sx, c->scale_y = 1 / sy;
  c->offset_x = -ox / sx, c->offset_y = -oy / sy;
  return true;
}
