/* An integer workload in the spirit of CoreMark (our own code): linked-list
 * sort and search, matrix multiply, a number-lexing state machine and
 * bitwise CRC-16/CRC-32, chained so every result feeds the checksum.
 * Deterministic: the same text on every platform. */
#include "bench.h"

/* ---- output ---------------------------------------------------------- */
static u32 slen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { bench_write(s, slen(s)); }
static void put_hex(u32 v) {
    char b[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    bench_write(b, 10);
}
static void put_dec(u32 v) {
    char b[10];
    int n = 10;
    do { b[--n] = (char)('0' + v % 10); v /= 10; } while (v);
    bench_write(b + n, (u32)(10 - n));
}
static void line(const char *label, u32 v) { put(label); put_hex(v); put("\n"); }

/* ---- pseudo-random input --------------------------------------------- */
static u32 rng;
static u32 next_rand(void) { rng = rng * 1664525u + 1013904223u; return rng >> 8; }

/* ---- CRC ------------------------------------------------------------- */
static u16 crc16_ccitt(u16 crc, u32 v, int bytes) {
    for (int i = 0; i < bytes; i++) {
        crc ^= (u16)(((v >> (8 * i)) & 0xff) << 8);
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000) ? (u16)((crc << 1) ^ 0x1021) : (u16)(crc << 1);
    }
    return crc;
}
static u32 crc32_buf(u32 crc, const u8 *p, u32 n) {
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/* ---- linked list: build, merge sort, search, reverse ------------------ */
#define LIST_N 96
struct node { struct node *next; u32 key; u32 val; };
static struct node pool[LIST_N];

static struct node *merge_sort(struct node *h, u32 n) {
    if (n < 2)
        return h;
    struct node *mid = h;
    for (u32 i = 1; i < n / 2; i++)
        mid = mid->next;
    struct node *b = mid->next;
    mid->next = 0;
    struct node *a = merge_sort(h, n / 2);
    b = merge_sort(b, n - n / 2);
    struct node head, *t = &head;
    while (a && b) {
        if (a->key <= b->key) { t->next = a; a = a->next; }
        else { t->next = b; b = b->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static u32 list_work(u32 seed) {
    struct node *h = 0;
    for (u32 i = 0; i < LIST_N; i++) {
        pool[i].key = (next_rand() ^ seed) & 0xfff;
        pool[i].val = i;
        pool[i].next = h;
        h = &pool[i];
    }
    h = merge_sort(h, LIST_N);
    u32 acc = 0, prev = 0;
    for (struct node *p = h; p; p = p->next) {     /* sortedness + order */
        acc = acc * 31 + p->val + (p->key < prev ? 0x10000u : 0);
        prev = p->key;
    }
    for (u32 q = 0; q < 16; q++) {                  /* searches */
        u32 want = pool[(q * 7) % LIST_N].key, pos = 0;
        for (struct node *p = h; p && p->key != want; p = p->next)
            pos++;
        acc += pos << (q & 7);
    }
    struct node *r = 0;                             /* reverse */
    while (h) { struct node *n = h->next; h->next = r; r = h; h = n; }
    return acc ^ r->key ^ (r->next->val << 16);
}

/* ---- matrix multiply -------------------------------------------------- */
#define MAT_N 12
static int ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static u32 matrix_work(u32 seed) {
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int)((next_rand() ^ seed) & 0xff) - 128;
            mb[i][j] = (int)(next_rand() & 0x3ff) - 512;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    u32 acc = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            acc = (acc << 3 | acc >> 29) ^ (u32)(mc[i][j] >> 2) ^ (u32)(mc[i][j] > 0);
    return acc;
}

/* ---- state machine: classify numbers in a text ------------------------ */
enum { S_START, S_INT, S_FRAC, S_EXP0, S_EXP, S_HEX, S_BAD, S_COUNT };
static u8 text[160];

static void make_text(u32 seed) {
    static const char alphabet[] = "0123456789.eE+-x, ab";
    for (u32 i = 0; i < sizeof text; i++)
        text[i] = (u8)alphabet[(next_rand() ^ seed) % (sizeof alphabet - 1)];
}

static u32 state_work(void) {
    u32 counts[S_COUNT] = {0};
    int s = S_START;
    for (u32 i = 0; i <= sizeof text; i++) {
        u8 c = i < sizeof text ? text[i] : ',';
        if (c == ',' || c == ' ') {     /* token end */
            counts[s]++;
            s = S_START;
            continue;
        }
        int digit = c >= '0' && c <= '9';
        switch (s) {
        case S_START: s = digit ? S_INT : (c == '.' ? S_FRAC : (c == '+' || c == '-') ? S_INT : S_BAD); break;
        case S_INT:   s = digit ? S_INT : c == '.' ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP0 : c == 'x' ? S_HEX : S_BAD; break;
        case S_FRAC:  s = digit ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP0 : S_BAD; break;
        case S_EXP0:  s = (digit || c == '+' || c == '-') ? S_EXP : S_BAD; break;
        case S_EXP:   s = digit ? S_EXP : S_BAD; break;
        case S_HEX:   s = (digit || (c >= 'a' && c <= 'f')) ? S_HEX : S_BAD; break;
        default:      break;
        }
    }
    u32 acc = 0;
    for (int i = 0; i < S_COUNT; i++)
        acc = acc * 131 + counts[i];
    return acc;
}

/* ---- driver ----------------------------------------------------------- */
u32 bench_main(void) {
    u32 r_list = 0, r_mat = 0, r_state = 0;
    u16 crc16 = 0xffff;
    u32 crc32 = 0;
    rng = 0x12345678u;

    put("armvisor bench: iterations ");
    put_dec(BENCH_ITERATIONS);
    put("\n");
    for (u32 it = 0; it < BENCH_ITERATIONS; it++) {
        u32 l = list_work(it);
        u32 m = matrix_work(l);
        make_text(m);
        u32 s = state_work();
        r_list ^= l;
        r_mat += m;
        r_state = r_state * 7 + s;
        crc16 = crc16_ccitt(crc16, l ^ m ^ s, 4);
        crc32 = crc32_buf(crc32, text, sizeof text);
        crc32 = crc32_buf(crc32, (const u8 *)mc, sizeof mc);
    }
    u32 sum = r_list ^ (r_mat * 3) ^ (r_state << 1) ^ crc16 ^ crc32;
    line("list   ", r_list);
    line("matrix ", r_mat);
    line("state  ", r_state);
    line("crc16  ", crc16);
    line("crc32  ", crc32);
    line("checksum ", sum);
    put("bench: done\n");
    return sum;
}
