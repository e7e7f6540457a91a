/*
 * workbook-format.c - compiling Excel number format codes ("#,##0",
 * "0000000", "dd/mm/yyyy", "0.00%") into the sections and tokens that
 * workbook-show.c shows values through.
 *
 * Supported: sections (positive;negative;zero;text), conditions ([>100]),
 * digit placeholders 0 # ?, thousands ',' and scaling (trailing ','), '%',
 * scientific E+/E-, literal text ("..", \x, [$₫-42A]), spaces for _x,
 * fills (*x) dropped, colours ignored, '@' in a text section, date and
 * time letters (d m y h s AM/PM, [h] elapsed).  Fractions ("# ?/?") are
 * recognised and shown as General.  Built-in ids that depend on the
 * viewer's locale (14: short date; 5-8: currency) get the Vietnamese
 * reading.
 */
#include <stdlib.h>
#include <string.h>

#include "input/workbook-format-private.h"

#define MAX_CODE 1024 /* longer codes (Excel's limit is 255) read as General */

/* ---- compiling ---- */

static const char *const builtin[] = {
    [0] = "General",
    [1] = "0",
    [2] = "0.00",
    [3] = "#,##0",
    [4] = "#,##0.00",
    [5] = "#,##0;-#,##0", /* 5-8: the viewer's currency, shown without symbol */
    [6] = "#,##0;[Red]-#,##0",
    [7] = "#,##0.00;-#,##0.00",
    [8] = "#,##0.00;[Red]-#,##0.00",
    [9] = "0%",
    [10] = "0.00%",
    [11] = "0.00E+00",
    [12] = "# ?/?",
    [13] = "# ?\?/?\?",
    [14] = "dd/mm/yyyy", /* the viewer's short date */
    [15] = "d-mmm-yy",
    [16] = "d-mmm",
    [17] = "mmm-yy",
    [18] = "h:mm AM/PM",
    [19] = "h:mm:ss AM/PM",
    [20] = "h:mm",
    [21] = "h:mm:ss",
    [22] = "m/d/yy h:mm",
    [27] = "dd/mm/yyyy", /* 27-36, 50-58, 71-81: East Asian and Thai dates */
    [28] = "dd/mm/yyyy",
    [29] = "dd/mm/yyyy",
    [30] = "dd/mm/yyyy",
    [31] = "dd/mm/yyyy",
    [32] = "h:mm",
    [33] = "h:mm:ss",
    [34] = "h:mm",
    [35] = "h:mm:ss",
    [36] = "dd/mm/yyyy",
    [37] = "#,##0 ;(#,##0)",
    [38] = "#,##0 ;[Red](#,##0)",
    [39] = "#,##0.00;(#,##0.00)",
    [40] = "#,##0.00;[Red](#,##0.00)",
    [41] = "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
    [42] = "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
    [43] = "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
    [44] = "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
    [45] = "mm:ss",
    [46] = "[h]:mm:ss",
    [47] = "mm:ss.0",
    [48] = "##0.0E+0",
    [49] = "@",
    [50] = "dd/mm/yyyy",
    [51] = "dd/mm/yyyy",
    [52] = "dd/mm/yyyy",
    [53] = "dd/mm/yyyy",
    [54] = "dd/mm/yyyy",
    [55] = "dd/mm/yyyy",
    [56] = "dd/mm/yyyy",
    [57] = "dd/mm/yyyy",
    [58] = "dd/mm/yyyy",
    [59] = "0",
    [60] = "0.00",
    [61] = "#,##0",
    [62] = "#,##0.00",
    [67] = "0%",
    [68] = "0.00%",
    [69] = "# ?/?",
    [70] = "# ?\?/?\?",
    [71] = "dd/mm/yyyy",
    [72] = "dd/mm/yyyy",
    [73] = "dd/mm/yyyy",
    [74] = "dd/mm/yyyy",
    [75] = "h:mm",
    [76] = "h:mm:ss",
    [77] = "dd/mm/yyyy h:mm",
    [78] = "mm:ss",
    [79] = "[h]:mm:ss",
    [80] = "mm:ss.0",
    [81] = "dd/mm/yyyy",
};

/* Code of a built-in format id; "General" for ids without one. */
const char *vc__wb_fmt_builtin(long id) {
  if (id >= 0 && id < (long)(sizeof builtin / sizeof builtin[0]) && builtin[id])
    return builtin[id];
  return "General";
}

static size_t utf8_len_at(const char *s, size_t i, size_t n) {
  unsigned char b = (unsigned char)s[i];
  size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  return i + k <= n ? k : n - i;
}

static bool is_dig(char c) { return c == '0' || c == '#' || c == '?'; }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool prefix_ci(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++)
    if (lower((unsigned char)s[i]) != p[i]) return false;
  return true;
}

typedef struct {
  vc_wb_fmt_t *f;
  vc__wb_section_t *sec;
  int ntok; /* tokens used overall */
} comp_t;

static vc__wb_tok_t *add_tok(comp_t *c, int kind) {
  vc__wb_tok_t *t = &c->f->toks[c->ntok++];
  memset(t, 0, sizeof *t);
  t->kind = (unsigned char)kind;
  c->sec->ntoks++;
  return t;
}

/* A literal token for s[0..n); merges with a literal just before. */
static void add_lit(comp_t *c, const char *s, size_t n) {
  if (!n) return;
  vc_wb_fmt_t *f = c->f;
  vc__wb_section_t *sec = c->sec;
  vc__wb_tok_t *last = sec->ntoks ? &sec->toks[sec->ntoks - 1] : NULL;
  if (last && last->kind == VC_WB_TK_LIT && last->off + last->len == f->nlits) {
    last->len = (uint16_t)(last->len + n);
  } else {
    vc__wb_tok_t *t = add_tok(c, VC_WB_TK_LIT);
    t->off = (uint16_t)f->nlits;
    t->len = (uint16_t)n;
  }
  memcpy(f->lits + f->nlits, s, n);
  f->nlits += n;
}

/* The bracketed part s[0..n) (without brackets). */
static void bracket(comp_t *c, const char *s, size_t n) {
  vc__wb_section_t *sec = c->sec;
  if (n && s[0] == '$') { /* [$₫-42A]: currency text, then a locale id */
    size_t k = 1;
    while (k < n && s[k] != '-') k++;
    add_lit(c, s + 1, k - 1);
    return;
  }
  if (n && (s[0] == '<' || s[0] == '>' || s[0] == '=')) {
    size_t k = 0;
    while (k < n && k < 2 && (s[k] == '<' || s[k] == '>' || s[k] == '=')) {
      sec->cop[k] = s[k];
      k++;
    }
    sec->cop[k] = '\0';
    double v;
    if (vc__wb_parse_double(s + k, n - k, &v)) {
      sec->has_cond = true;
      sec->cval = v;
    }
    return;
  }
  size_t k = 0;
  while (k < n && lower((unsigned char)s[k]) == lower((unsigned char)s[0])) k++;
  if (n && k == n && strchr("hms", lower((unsigned char)s[0]))) { /* [h] [mm] [ss] */
    vc__wb_tok_t *t = add_tok(c, VC_WB_TK_DATE);
    t->ch = 'E';
    sec->elapsed = (char)lower((unsigned char)s[0]);
    return;
  }
  /* colours, [DBNum1], locale ids: nothing to show */
}

/* Date/time letters: 'y' 'm' 'd' 'h' 's' 'a' (AM/PM); 0 for others. */
static char date_letter(const char *s, size_t i, size_t n, size_t *len) {
  int c = lower((unsigned char)s[i]);
  if (prefix_ci(s + i, n - i, "am/pm")) {
    *len = 5;
    return 'a';
  }
  if (prefix_ci(s + i, n - i, "a/p")) {
    *len = 3;
    return 'a';
  }
  if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's' || c == 'b' || c == 'g' ||
      c == 'e') {
    size_t k = i;
    while (k < n && lower((unsigned char)s[k]) == c) k++;
    *len = k - i;
    return (char)(c == 'b' || c == 'g' || c == 'e' ? 'y' : c);
  }
  return 0;
}

/* A digit placeholder ('0' '#' '?') of the integer, fraction or exponent
 * part, wherever the section has got to. */
static void add_digit(comp_t *c, vc__wb_section_t *sec, char ch) {
  vc__wb_tok_t *t = add_tok(c, VC_WB_TK_DIG);
  t->ch = ch;
  t->part = sec->exp ? VC_WB_PART_EXP : sec->point ? VC_WB_PART_FRAC : VC_WB_PART_INT;
  if (t->part == VC_WB_PART_INT) {
    sec->nint++;
    if (ch == '#') sec->int_hash = true;
  } else if (t->part == VC_WB_PART_FRAC) {
    sec->nfrac++;
  } else {
    sec->nexp++;
    if (ch == '0') sec->nexp0++;
  }
}

/* The date and time parts a section shows; an 'm' is minutes after an 'h'
 * or before an 's', else months. */
static void classify_dates(vc__wb_section_t *sec) {
  int prev = 0;
  for (int t = 0; t < sec->ntoks; t++) {
    vc__wb_tok_t *tk = &sec->toks[t];
    if (tk->kind != VC_WB_TK_DATE) continue;
    char d = tk->ch;
    if (d == 'm') {
      int next = 0;
      for (int u = t + 1; u < sec->ntoks; u++)
        if (sec->toks[u].kind == VC_WB_TK_DATE) {
          next = sec->toks[u].ch == 'E' ? sec->elapsed : sec->toks[u].ch;
          break;
        }
      d = (prev == 'h' || next == 's') ? 'M' : 'm';
      tk->ch = d;
    }
    if (d == 'y' || d == 'd' || d == 'm') sec->d_date = true;
    if (d == 'h' || d == 'M' || d == 's' || d == 'a' || d == 'E') sec->d_time = true;
    if (d == 'h') sec->d_hour = true;
    if (d == 'M') sec->d_min = true;
    if (d == 's') sec->d_sec = true;
    if (d == 'E') {
      sec->d_elapsed = true;
      if (sec->elapsed == 'h') sec->d_hour = true;
      if (sec->elapsed == 'm') sec->d_min = true;
      if (sec->elapsed == 's') sec->d_sec = true;
    }
    prev = d == 'E' ? sec->elapsed : d;
  }
}

/* The run of commas at s[i]: thousands marks between digits, a scale by
 * 1000 each after them, else text; returns where the run ends. */
static size_t add_commas(comp_t *c, vc__wb_section_t *sec, const char *s, size_t i, size_t n,
                         bool seen_dig) {
  size_t j = i;
  while (j < n && s[j] == ',') j++;
  if (seen_dig && j < n && is_dig(s[j]) && !sec->point)
    sec->group = true;
  else if (seen_dig)
    sec->scale += (int)(j - i);
  else
    add_lit(c, s + i, j - i);
  return j;
}

/* Compiles one section s[0..n) into c->sec. */
static void compile_section(comp_t *c, const char *s, size_t n) {
  vc__wb_section_t *sec = c->sec;
  sec->toks = &c->f->toks[c->ntok];
  bool seen_dig = false, fraction = false;
  size_t i = 0;
  while (i < n) {
    char ch = s[i];
    size_t k;
    if (ch == '"') {
      size_t j = i + 1;
      while (j < n && s[j] != '"') j++;
      add_lit(c, s + i + 1, j - i - 1);
      i = j < n ? j + 1 : n;
    } else if (ch == '\\' && i + 1 < n) {
      k = utf8_len_at(s, i + 1, n);
      add_lit(c, s + i + 1, k);
      i += 1 + k;
    } else if (ch == '_' && i + 1 < n) {
      add_lit(c, " ", 1);
      i += 1 + utf8_len_at(s, i + 1, n);
    } else if (ch == '*' && i + 1 < n) {
      i += 1 + utf8_len_at(s, i + 1, n);
    } else if (ch == '[') {
      size_t j = i + 1;
      while (j < n && s[j] != ']') j++;
      bracket(c, s + i + 1, j - i - 1);
      i = j < n ? j + 1 : n;
    } else if (is_dig(ch)) {
      add_digit(c, sec, ch);
      seen_dig = true;
      i++;
    } else if (ch == '.' && !sec->point && !sec->exp) {
      sec->point = true;
      add_tok(c, VC_WB_TK_POINT);
      i++;
    } else if (ch == ',') {
      i = add_commas(c, sec, s, i, n, seen_dig);
    } else if (ch == '%') {
      sec->pct++;
      add_tok(c, VC_WB_TK_PCT);
      i++;
    } else if ((ch == 'E' || ch == 'e') && i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-') &&
               seen_dig && !sec->exp) {
      sec->exp = true;
      add_tok(c, VC_WB_TK_EXP)->ch = s[i + 1];
      i += 2;
    } else if (ch == '@') {
      sec->has_at = true;
      add_tok(c, VC_WB_TK_AT);
      i++;
    } else if (prefix_ci(s + i, n - i, "general")) {
      sec->has_gen = true;
      add_tok(c, VC_WB_TK_GEN);
      i += 7;
    } else if (date_letter(s, i, n, &k)) {
      vc__wb_tok_t *t = add_tok(c, VC_WB_TK_DATE);
      t->ch = date_letter(s, i, n, &k);
      t->len = (uint16_t)k;
      i += k;
    } else {
      if (ch == '/' && seen_dig && i + 1 < n && (is_dig(s[i + 1]) || (s[i + 1] >= '1' && s[i + 1] <= '9')))
        fraction = true;
      k = utf8_len_at(s, i, n);
      add_lit(c, s + i, k);
      i += k;
    }
  }
  classify_dates(sec);
  if (sec->d_date || sec->d_time)
    sec->kind = VC_WB_SEC_DATE;
  else if (fraction)
    sec->kind = VC_WB_SEC_FRACTION;
  else
    sec->kind = VC_WB_SEC_NUM;
}

/* Compiles a format code (see workbook-private.h). */
vc_wb_fmt_t *vc__wb_fmt_compile(const char *code, size_t n) {
  if (!code || n > MAX_CODE) {
    code = "General";
    n = 7;
  }
  vc_wb_fmt_t *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->toks = calloc(n + 8, sizeof *f->toks);
  f->lits = malloc(n + 8);
  if (!f->toks || !f->lits) {
    vc__wb_fmt_free(f);
    return NULL;
  }
  comp_t c = {f, NULL, 0};
  size_t start = 0, i = 0;
  bool inq = false;
  for (;; i++) {
    bool end = i >= n;
    if (!end) {
      char ch = code[i];
      if (ch == '"') inq = !inq;
      if (inq) continue;
      if (ch == '\\' || ch == '_' || ch == '*') { /* the next byte is not syntax */
        i++;
        continue;
      }
      if (ch == '[') {
        while (i < n && code[i] != ']') i++;
        continue;
      }
      if (ch != ';') continue;
    }
    if (f->nsec < 4) {
      c.sec = &f->sec[f->nsec++];
      compile_section(&c, code + start, (end ? n : i) - start);
    }
    if (end) break;
    start = i + 1;
  }
  return f;
}

void vc__wb_fmt_free(vc_wb_fmt_t *f) {
  if (!f) return;
  free(f->toks);
  free(f->lits);
  free(f);
}

bool vc__wb_fmt_is_date(const vc_wb_fmt_t *f) {
  return f && f->nsec > 0 && f->sec[0].kind == VC_WB_SEC_DATE;
}
