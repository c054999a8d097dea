// SPDX-License-Identifier: MIT
/*
 * --top. The figures are the summary's (summary.c sums, this file only
 * shows); what --top adds is the choice of rows, their order and colour,
 * the last failed calls of each syscall, and the screen.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "top.h"

/*
 * One failed call. Its line is made when the detail view shows it:
 * until then it is the event's bytes and what the line takes from
 * elsewhere (the event's number, CPU and thread name at the time).
 * Formatting is the costly part, and most failures are never looked at.
 */
struct fail {
	char line[TOP_FAIL_LEN];
	bool pending;		/* raw holds the event; line is not made yet */
	uint8_t *raw;
	uint32_t len, cap;
	uint64_t num;
	unsigned int cpu;
	bool has_th;
	char comm[KSCAP_COMM_LEN + 1];
};

/* Larger events (long paths, large buffers) get their line at once. */
#define FAIL_RAW_MAX	4096

struct fails {
	const char *name;
	struct fail f[TOP_FAILS];
	unsigned int next, n;
};

struct top {
	struct summary *sum;
	struct fails *fails;
	size_t nfails, capfails;
	enum top_col sort;
	bool desc, paused, quit;
	int group;		/* -1: all */
	size_t sel;		/* selected row */
	const char *detail;	/* the syscall of the detail view */

	/* The screen; none for the model alone. */
	SCREEN *scr;
	FILE *tty_in;
	bool plain;		/* a plain table on stdout */
	bool replay;
	volatile sig_atomic_t *stop;
	uint64_t events;
	const uint64_t *shown;	/* the caller's count of events, if it keeps one */
	uint64_t next_ts;	/* event time of the next look at the clock */
	double last_draw;	/* wall clock, s */
	double wall0;		/* replay: wall clock of the first event */
	uint64_t ts_prev;	/* replay: last event's timestamp */
	double replay_s;	/* replay: recorded time, long gaps cut to 1 s */
};

static const char *const group_names[TOP_GROUP_NR] = {
	"I/O", "FS", "NET", "MEM", "PROC", "SIG", "OTHER",
};

static const char *const col_names[TOP_COL_NR] = {
	"SYSCALL", "CAT", "CALLS", "ERRORS", "ERR%", "AVG", "P95", "P99", "TIME",
};

/* The key that sorts by each column. */
static const char col_keys[TOP_COL_NR] = { 'n', 'g', 'c', 'e', '%', 'a', '5', '9', 't' };

/* Which group of the bar each kscap category belongs to. */
static const struct {
	unsigned int category;
	enum top_group group;
} group_of[] = {
	{ KSCAP_CAT_IO_READ, TOP_IO }, { KSCAP_CAT_IO_WRITE, TOP_IO },
	{ KSCAP_CAT_IO_OTHER, TOP_IO }, { KSCAP_CAT_FILE, TOP_FS },
	{ KSCAP_CAT_NET, TOP_NET }, { KSCAP_CAT_MEMORY, TOP_MEM },
	{ KSCAP_CAT_PROCESS, TOP_PROC }, { KSCAP_CAT_SIGNAL, TOP_SIG },
};

enum top_group top_group_of(unsigned int category)
{
	size_t i;

	for (i = 0; i < sizeof(group_of) / sizeof(group_of[0]); i++)
		if (group_of[i].category == category)
			return group_of[i].group;
	return TOP_OTHER;
}

const char *top_group_name(enum top_group g)
{
	return g < TOP_GROUP_NR ? group_names[g] : "?";
}

static double errpct(const struct summary_row *row)
{
	return row->calls ? 100.0 * (double)row->errors / (double)row->calls : 0.0;
}

enum top_colour top_colour_of(const struct summary_row *row)
{
	if (row->calls && errpct(row) >= TOP_RED_ERRPCT)
		return TOP_RED;
	if (row->avg_ns >= TOP_YELLOW_AVG_NS)
		return TOP_YELLOW;
	return TOP_PLAIN;
}

struct top *top_new(struct summary *sum)
{
	struct top *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->sum = sum;
	t->sort = TOP_COL_TIME;
	t->desc = true;
	t->group = -1;
	return t;
}

void top_free(struct top *t)
{
	size_t i, k;

	if (!t)
		return;
	if (t->scr) {
		endwin();
		delscreen(t->scr);
	}
	if (t->tty_in && t->tty_in != stdin)
		fclose(t->tty_in);
	for (i = 0; i < t->nfails; i++)
		for (k = 0; k < TOP_FAILS; k++)
			free(t->fails[i].f[k].raw);
	free(t->fails);
	free(t);
}

static struct fails *fails_of(const struct top *t, const char *name)
{
	size_t i;

	/* names come from static tables: the pointer finds it */
	for (i = 0; i < t->nfails; i++)
		if (t->fails[i].name == name)
			return &t->fails[i];
	for (i = 0; i < t->nfails; i++)
		if (!strcmp(t->fails[i].name, name))
			return &t->fails[i];
	return NULL;
}

/* The slot for @name's next failure (the oldest is overwritten). */
static struct fail *next_fail(struct top *t, const char *name)
{
	struct fails *fs = fails_of(t, name);
	struct fail *f;

	if (!fs) {
		if (t->nfails == t->capfails) {
			size_t cap = t->capfails ? t->capfails * 2 : 16;
			struct fails *nf = realloc(t->fails, cap * sizeof(*nf));

			if (!nf)
				return NULL;
			t->fails = nf;
			t->capfails = cap;
		}
		fs = &t->fails[t->nfails++];
		memset(fs, 0, sizeof(*fs));
		fs->name = name;
	}
	f = &fs->f[fs->next];
	fs->next = (fs->next + 1) % TOP_FAILS;
	if (fs->n < TOP_FAILS)
		fs->n++;
	f->pending = false;
	return f;
}

int top_record_failure(struct top *t, const char *name, const char *line)
{
	struct fail *f = next_fail(t, name);

	if (!f)
		return -ENOMEM;
	snprintf(f->line, TOP_FAIL_LEN, "%s", line);
	return 0;
}

/* The event's line, as scapdump prints it, cut to one line. */
static void make_line(const struct out_event *e, char *line)
{
	FILE *f;

	line[0] = '\0';
	f = fmemopen(line, TOP_FAIL_LEN, "w");
	if (!f)
		return;
	print_text(f, e);
	fclose(f);
	line[TOP_FAIL_LEN - 1] = '\0';
	line[strcspn(line, "\n")] = '\0';
}

int top_record_failure_raw(struct top *t, const char *name, const void *ev, uint32_t len,
			   const struct out_event *e)
{
	struct fail *f;

	if (e->host || len > FAIL_RAW_MAX) {
		/* not kept raw: the line now */
		struct kscap_evt evt;
		struct out_event le = *e;
		char line[TOP_FAIL_LEN];

		if (kscap_evt_parse(ev, len, &evt))
			return 0;
		le.evt = &evt;
		le.name = name;
		make_line(&le, line);
		return top_record_failure(t, name, line);
	}
	f = next_fail(t, name);
	if (!f)
		return -ENOMEM;
	if (f->cap < len) {
		uint8_t *nr = realloc(f->raw, len);

		if (!nr) {
			f->line[0] = '\0';
			return -ENOMEM;
		}
		f->raw = nr;
		f->cap = len;
	}
	memcpy(f->raw, ev, len);
	f->len = len;
	f->num = e->num;
	f->cpu = e->cpu;
	f->has_th = e->th != NULL;
	if (e->th)
		memcpy(f->comm, e->th->comm, sizeof(f->comm));
	f->pending = true;
	return 0;
}

/* A kept event's line, made now. */
static void format_fail(struct fail *f, const char *name)
{
	struct kscap_thread th;
	struct kscap_evt evt;
	struct out_event e = { .num = f->num, .cpu = f->cpu, .evt = &evt, .name = name };

	f->pending = false;
	if (kscap_evt_parse(f->raw, f->len, &evt)) {
		snprintf(f->line, TOP_FAIL_LEN, "%s: <invalid event>", name);
		return;
	}
	if (f->has_th) {
		memset(&th, 0, sizeof(th));
		memcpy(th.comm, f->comm, sizeof(th.comm));
		e.th = &th;
	}
	make_line(&e, f->line);
}

static uint64_t col_value(const struct summary_row *r, enum top_col c)
{
	switch (c) {
	case TOP_COL_CAT:	return (uint64_t)top_group_of(r->category);
	case TOP_COL_CALLS:	return r->calls;
	case TOP_COL_ERRORS:	return r->errors;
	/* errors/calls compared exactly, in parts per billion */
	case TOP_COL_ERRPCT:	return r->calls ? r->errors * 1000000000ULL / r->calls : 0;
	case TOP_COL_AVG:	return r->avg_ns;
	case TOP_COL_P95:	return r->p95_ns;
	case TOP_COL_P99:	return r->p99_ns;
	default:		return r->total_ns;
	}
}

/* qsort has no context argument: the order being applied. */
static enum top_col cmp_col;
static bool cmp_desc;

static int cmp_rows(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;
	int d;

	if (cmp_col == TOP_COL_NAME) {
		d = strcmp(x->name, y->name);
	} else {
		uint64_t u = col_value(x, cmp_col), v = col_value(y, cmp_col);

		d = u < v ? -1 : u > v ? 1 : 0;
	}
	if (cmp_desc)
		d = -d;
	/* ties: by name, always A to Z, so rows do not jump about */
	return d ? d : strcmp(x->name, y->name);
}

size_t top_rows(struct top *t, struct summary_row *rows, size_t max)
{
	size_t i, n = 0, total = summary_count(t->sum);

	for (i = 0; i < total && n < max; i++) {
		summary_row(t->sum, i, &rows[n]);
		if (t->group < 0 || (int)top_group_of(rows[n].category) == t->group)
			n++;
	}
	cmp_col = t->sort;
	cmp_desc = t->desc;
	qsort(rows, n, sizeof(*rows), cmp_rows);
	return n;
}

void top_groups(const struct top *t, uint64_t calls[TOP_GROUP_NR])
{
	struct summary_row r;
	size_t i;

	memset(calls, 0, TOP_GROUP_NR * sizeof(calls[0]));
	for (i = 0; i < summary_count(t->sum); i++) {
		summary_row(t->sum, i, &r);
		calls[top_group_of(r.category)] += r.calls;
	}
}

int top_detail(struct top *t, const char *name, struct top_detail *d)
{
	struct fails *fs;
	size_t i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < summary_count(t->sum); i++) {
		summary_row(t->sum, i, &d->row);
		if (!strcmp(d->row.name, name))
			break;
	}
	if (i == summary_count(t->sum))
		return -1;
	d->nerrs = summary_errnos(t->sum, i, d->errs, sizeof(d->errs) / sizeof(d->errs[0]));
	fs = fails_of(t, name);
	for (i = 0; fs && i < fs->n; i++) {
		struct fail *f = &fs->f[(fs->next + TOP_FAILS - 1 - i) % TOP_FAILS];

		if (f->pending)
			format_fail(f, fs->name);
		d->fails[d->nfails++] = f->line;
	}
	return 0;
}

/* The name of the selected row of the table. */
static const char *selected(struct top *t)
{
	size_t n = summary_count(t->sum);
	struct summary_row *rows = calloc(n ? n : 1, sizeof(*rows));
	const char *name = NULL;

	if (!rows)
		return NULL;
	n = top_rows(t, rows, n);
	if (n)
		name = rows[t->sel < n ? t->sel : n - 1].name;
	free(rows);
	return name;
}

static bool sort_key(struct top *t, int key)
{
	int c;

	for (c = 0; c < TOP_COL_NR; c++) {
		if (col_keys[c] != key)
			continue;
		/* the same key again turns the order round */
		if (t->sort == (enum top_col)c)
			t->desc = !t->desc;
		else
			t->desc = c != TOP_COL_NAME && c != TOP_COL_CAT;
		t->sort = (enum top_col)c;
		t->sel = 0;
		return true;
	}
	return false;
}

bool top_key(struct top *t, int key)
{
	if (sort_key(t, key))
		return false;
	switch (key) {
	case 'q':
		t->quit = true;
		break;
	case 'p': case ' ':
		t->paused = !t->paused;
		break;
	case 'r':
		t->desc = !t->desc;
		break;
	case '<': case KEY_LEFT:
		t->sort = t->sort ? t->sort - 1 : TOP_COL_NR - 1;
		break;
	case '>': case KEY_RIGHT:
		t->sort = (t->sort + 1) % TOP_COL_NR;
		break;
	case 'f':	/* all, I/O, FS, ..., OTHER, all */
		t->group = t->group + 1 < TOP_GROUP_NR ? t->group + 1 : -1;
		t->sel = 0;
		break;
	case 'F':
		t->group = -1;
		break;
	case 'j': case KEY_DOWN:
		t->sel++;
		break;
	case 'k': case KEY_UP:
		t->sel = t->sel ? t->sel - 1 : 0;
		break;
	case '\n': case '\r': case 'd': case KEY_ENTER:
		t->detail = selected(t);
		break;
	case 27: case 'b': case KEY_BACKSPACE: case 127:
		t->detail = NULL;
		break;
	}
	return t->quit;
}

enum top_col top_sort_col(const struct top *t) { return t->sort; }
bool top_sort_desc(const struct top *t) { return t->desc; }
int top_group_filter(const struct top *t) { return t->group; }
bool top_paused(const struct top *t) { return t->paused; }
const char *top_detail_name(const struct top *t) { return t->detail; }

/* ---- the screen ---- */

static uint64_t events_of(const struct top *t)
{
	return t->shown ? *t->shown : t->events;
}

void top_count(struct top *t, const uint64_t *shown)
{
	t->shown = shown;
}

uint64_t top_due(const struct top *t)
{
	return t->replay && t->scr ? 0 : t->next_ts;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A latency in the unit that suits it: "812ns", "12.3us", "7.33ms". */
static void fmt_ns(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000)
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.2fms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%.2fs", (double)ns / 1e9);
}

static void fmt_header(const struct top *t, char *buf, size_t size)
{
	char cols[TOP_COL_NR][12];
	int c;

	/* the sort column is marked with the direction of its order */
	for (c = 0; c < TOP_COL_NR; c++)
		snprintf(cols[c], sizeof(cols[c]), "%s%s", col_names[c],
			 t->sort == (enum top_col)c ? (t->desc ? "v" : "^") : "");
	snprintf(buf, size, "%-20s %-6s %9s %8s %7s %9s %9s %9s %9s  %s", cols[0], cols[1],
		 cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], "TOP ERRNO");
}

static void fmt_row(const struct top *t, const struct summary_row *r, char *buf, size_t size)
{
	char avg[16], p95[16], p99[16], tot[16], errs[96] = "";

	fmt_ns(r->avg_ns, avg, sizeof(avg));
	fmt_ns(r->p95_ns, p95, sizeof(p95));
	fmt_ns(r->p99_ns, p99, sizeof(p99));
	fmt_ns(r->total_ns, tot, sizeof(tot));
	summary_top_errnos(t->sum, r->index, errs, sizeof(errs));
	snprintf(buf, size, "%-20.20s %-6s %9llu %8llu %6.1f%% %9s %9s %9s %9s  %s", r->name,
		 top_group_name(top_group_of(r->category)), (unsigned long long)r->calls,
		 (unsigned long long)r->errors, errpct(r), avg, p95, p99, tot, errs);
}

/* "I/O 34% FS 12% ..." and a bar of @width cells, one letter per group. */
static void fmt_groups(const struct top *t, char *legend, size_t lsize, char *bar,
		       size_t width)
{
	uint64_t calls[TOP_GROUP_NR], all = 0;
	size_t off = 0, cells = 0;
	int g;

	top_groups(t, calls);
	for (g = 0; g < TOP_GROUP_NR; g++)
		all += calls[g];
	legend[0] = '\0';
	for (g = 0; g < TOP_GROUP_NR; g++) {
		size_t w = all ? (size_t)((calls[g] * width + all / 2) / all) : 0;

		if (off < lsize)
			off += (size_t)snprintf(legend + off, lsize - off, "%s%s %.0f%%",
						g ? "  " : "", group_names[g],
						all ? 100.0 * (double)calls[g] / (double)all : 0.0);
		while (w-- && cells < width)
			bar[cells++] = group_names[g][0];
	}
	while (cells < width)
		bar[cells++] = '.';
	bar[cells] = '\0';
}

static void plain_table(struct top *t)
{
	size_t n = summary_count(t->sum), i;
	struct summary_row *rows = calloc(n ? n : 1, sizeof(*rows));
	char line[512], legend[160], bar[41];

	if (!rows)
		return;
	n = top_rows(t, rows, n);
	fmt_groups(t, legend, sizeof(legend), bar, 40);
	printf("--- %llu events  [%s]  %s\n", (unsigned long long)events_of(t), bar, legend);
	fmt_header(t, line, sizeof(line));
	printf("%s\n", line);
	for (i = 0; i < n; i++) {
		fmt_row(t, &rows[i], line, sizeof(line));
		printf("%s\n", line);
	}
	fflush(stdout);
	free(rows);
}

enum { PAIR_RED = 1, PAIR_YELLOW, PAIR_TITLE };

static void draw_table(struct top *t, int y)
{
	size_t n = summary_count(t->sum), i;
	struct summary_row *rows = calloc(n ? n : 1, sizeof(*rows));
	char line[512];

	if (!rows)
		return;
	n = top_rows(t, rows, n);
	if (n && t->sel >= n)
		t->sel = n - 1;
	fmt_header(t, line, sizeof(line));
	attron(A_BOLD);
	mvaddnstr(y++, 0, line, COLS);
	attroff(A_BOLD);
	for (i = 0; i < n && y < LINES - 1; i++, y++) {
		enum top_colour c = top_colour_of(&rows[i]);
		attr_t a = (c == TOP_RED ? COLOR_PAIR(PAIR_RED) :
			    c == TOP_YELLOW ? COLOR_PAIR(PAIR_YELLOW) : 0) |
			   (i == t->sel ? A_REVERSE : 0);

		fmt_row(t, &rows[i], line, sizeof(line));
		attron(a);
		mvaddnstr(y, 0, line, COLS);
		attroff(a);
	}
	free(rows);
}

static void draw_detail(struct top *t, int y)
{
	struct top_detail d;
	char avg[16], p95[16], p99[16];
	size_t i;

	if (top_detail(t, t->detail, &d)) {
		mvprintw(y, 0, "%s: no calls", t->detail);
		return;
	}
	fmt_ns(d.row.avg_ns, avg, sizeof(avg));
	fmt_ns(d.row.p95_ns, p95, sizeof(p95));
	fmt_ns(d.row.p99_ns, p99, sizeof(p99));
	attron(A_BOLD);
	mvprintw(y++, 0, "%s (%s)", d.row.name, top_group_name(top_group_of(d.row.category)));
	attroff(A_BOLD);
	mvprintw(y++, 0, "calls %llu  errors %llu  ERR%% %.1f  avg %s  p95 %s  p99 %s",
		 (unsigned long long)d.row.calls, (unsigned long long)d.row.errors,
		 errpct(&d.row), avg, p95, p99);
	y++;
	mvaddstr(y++, 0, "errno breakdown:");
	for (i = 0; i < d.nerrs && y < LINES - 1; i++, y++) {
		const char *e = kscap_errno_name(d.errs[i].err);

		mvprintw(y, 2, "%-16s %9llu  %5.1f%%", e ? e : "?",
			 (unsigned long long)d.errs[i].count,
			 100.0 * (double)d.errs[i].count / (double)d.row.errors);
	}
	if (!d.nerrs)
		mvaddstr(y++, 2, "(no errors)");
	y++;
	mvaddstr(y++, 0, "last failed calls:");
	for (i = 0; i < d.nfails && y < LINES - 1; i++, y++)
		mvaddnstr(y, 2, d.fails[i], COLS - 2);
}

static void draw(struct top *t)
{
	char legend[160], bar[41];

	t->last_draw = now_s();
	if (t->plain) {
		plain_table(t);
		return;
	}
	erase();
	fmt_groups(t, legend, sizeof(legend), bar, 40);
	attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvprintw(0, 0, "scapdump --top  %llu events  category: %s%s",
		 (unsigned long long)events_of(t),
		 t->group < 0 ? "all" : group_names[t->group], t->paused ? "  [PAUSED]" : "");
	attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvprintw(1, 0, "[%s]  %s", bar, legend);
	if (t->detail)
		draw_detail(t, 3);
	else
		draw_table(t, 3);
	mvaddnstr(LINES - 1, 0, t->detail ?
		  "esc/b back  q quit" :
		  "sort: n g c e % a 5 9 t  r reverse  </> column  f category  p pause  "
		  "j/k select  enter detail  q quit", COLS);
	refresh();
}

/* Keys waiting, then the screen if a key or a second calls for it. */
static void poll_keys(struct top *t)
{
	bool changed = false;
	int k;

	if (!t->scr)
		return;
	while ((k = getch()) != ERR) {
		top_key(t, k);
		changed = true;
	}
	if (changed || (!t->paused && now_s() - t->last_draw >= 1.0))
		draw(t);
}

static void tick(struct top *t)
{
	if (t->plain) {
		if (now_s() - t->last_draw >= 1.0)
			draw(t);
	} else {
		poll_keys(t);
	}
}

struct top *top_start(struct summary *sum, bool replay, volatile sig_atomic_t *stop)
{
	struct top *t = top_new(sum);

	if (!t)
		return NULL;
	t->replay = replay;
	t->stop = stop;
	t->last_draw = now_s();
	if (isatty(STDOUT_FILENO)) {
		/* keys from the terminal even when events come on stdin */
		t->tty_in = isatty(STDIN_FILENO) ? stdin : fopen("/dev/tty", "r");
		if (t->tty_in)
			t->scr = newterm(NULL, stdout, t->tty_in);
	}
	if (!t->scr) {
		t->plain = true;
		return t;
	}
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_RED, COLOR_RED, -1);
		init_pair(PAIR_YELLOW, COLOR_YELLOW, -1);
		init_pair(PAIR_TITLE, COLOR_CYAN, -1);
	}
	draw(t);
	return t;
}

/* Replay on a terminal: wait until the wall clock catches up with the
 * recording (gaps over a second count as one), or while paused. */
static void pace(struct top *t, uint64_t ts)
{
	if (!t->wall0) {
		t->wall0 = now_s();
	} else if (ts > t->ts_prev) {
		double gap = (double)(ts - t->ts_prev) / 1e9;

		t->replay_s += gap > 1.0 ? 1.0 : gap;
	}
	t->ts_prev = ts;
	while (!t->quit && !*t->stop &&
	       (t->paused || now_s() - t->wall0 < t->replay_s)) {
		poll_keys(t);
		usleep(10000);
		if (t->paused)
			t->wall0 += 0.01;	/* a pause stops the recording's clock */
	}
}

bool top_event(struct top *t, const struct out_event *e)
{
	int64_t ret;

	if (KSCAP_EV_IS_EXIT(e->evt->type) && kscap_evt_ret(e->evt, &ret) &&
	    ret < 0 && ret >= -4095)
		top_record_failure_raw(t, e->name ? e->name : kscap_evt_name(e->evt),
				       e->evt->raw, e->evt->len, e);
	return top_tick(t, e->evt->ts);
}

bool top_tick(struct top *t, uint64_t ts)
{
	t->events++;
	/* The clock and the keyboard are looked at by the events' own time
	 * (4 times a second of it), not every N events: where the clock
	 * is a system call (a VM without a vDSO clock), that was --top's
	 * main cost. Every 64 Ki events too, in case the clock is off. */
	if (t->replay && t->scr) {
		pace(t, ts);
	} else if (ts >= t->next_ts || (t->events & 65535) == 0) {
		t->next_ts = ts + 250000000;
		tick(t);
	}
	return t->quit;
}

bool top_idle(struct top *t)
{
	tick(t);
	return t->quit;
}

void top_finish(struct top *t)
{
	if (t->plain) {
		draw(t);
		return;
	}
	/* repaint it all: warnings on stderr may have crossed the screen */
	clearok(curscr, TRUE);
	draw(t);
	/* a replay stays on screen until the user is done with it */
	while (t->replay && !t->quit && !*t->stop) {
		poll_keys(t);
		usleep(20000);
	}
}
