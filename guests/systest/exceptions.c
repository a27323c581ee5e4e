/* Exception entry and return (ARM ARM B1.8): for UDF, an unallocated
 * encoding, SVC, BKPT (prefetch abort, debug event) and an external data
 * abort, check the vector taken, LR offset, SPSR = CPSR before, the handler
 * CPSR (mode, I/A/F rules for a core with the Virtualization Extensions),
 * the fault status/address registers, and that the return (MOVS pc,lr /
 * LDM^ / SUBS pc,lr,#4 / RFE) restores mode, flags and masks. */
#include "../common/test.h"
#include "../common/exc.h"

/* Physical address with nothing behind it on the virt board: an access is
 * a synchronous external abort.  (0x20000000 sits in QEMU's PCIe MMIO
 * window, which reads as all-ones, so a hole in the low map is used.) */
#ifndef ABORT_ADDR
#define ABORT_ADDR 0x0e000000u
#endif

u32 site_udf(u32 flags), site_unalloc(u32 flags), site_svc(u32 flags);
u32 site_svceq(u32 flags), site_bkpt(u32 flags);
u32 site_ldr_abort(u32 flags, u32 addr), site_str_abort(u32 flags, u32 addr);
extern char site_udf_at[], site_unalloc_at[], site_svc_at[], site_svceq_at[];
extern char site_bkpt_at[], site_ldr_abort_at[], site_str_abort_at[];

#define FLAGS_A 0xa0000000u   /* N, C */
#define FLAGS_B 0x50000000u   /* Z, V */

static void check_common(u32 vec, u32 lr, u32 flags, u32 handler_cpsr, u32 after) {
    t_eq("count", exc_last.count, 1);
    t_eq("vector", exc_last.vec, vec);
    t_eq("lr", exc_last.lr, lr);
    t_eq("spsr", exc_last.spsr, flags | MODE_SVC);
    t_eq("handler cpsr", exc_last.cpsr, flags | handler_cpsr);
    t_eq("cpsr after return", after, flags | MODE_SVC);
}

int main(void) {
    u32 after;

    t_begin("exc_udf");
    exc_clear();
    after = site_udf(FLAGS_A);
    check_common(VEC_UND, (u32)site_udf_at + 4, FLAGS_A, MODE_UND | PSR_I, after);
    t_end();

    t_begin("exc_unallocated");
    exc_clear();
    after = site_unalloc(FLAGS_B);
    check_common(VEC_UND, (u32)site_unalloc_at + 4, FLAGS_B, MODE_UND | PSR_I, after);
    t_end();

    t_begin("exc_svc");
    exc_clear();
    after = site_svc(FLAGS_A);
    check_common(VEC_SVC, (u32)site_svc_at + 4, FLAGS_A, MODE_SVC | PSR_I, after);
    t_eq("svc imm", *(u32 *)(exc_last.lr - 4) & 0xffffff, 0x42);
    t_end();

    t_begin("exc_svc_cond_fail");
    exc_clear();
    after = site_svceq(FLAGS_A);   /* Z clear: SVCEQ is not executed */
    t_eq("count", exc_last.count, 0);
    t_eq("cpsr", after, FLAGS_A | MODE_SVC);
    t_end();

    t_begin("exc_bkpt_pabt");
    exc_clear();
    after = site_bkpt(FLAGS_B);
    check_common(VEC_PABT, (u32)site_bkpt_at + 4, FLAGS_B, MODE_ABT | PSR_I | PSR_A, after);
    t_eq("ifsr debug event", exc_last.ifsr & 0x40f, 0x002);
    t_end();

    t_begin("exc_dabt_load");
    exc_clear();
    after = site_ldr_abort(FLAGS_A, ABORT_ADDR);
    check_common(VEC_DABT, (u32)site_ldr_abort_at + 8, FLAGS_A, MODE_ABT | PSR_I | PSR_A, after);
    t_eq("dfsr status", exc_last.dfsr & 0x40f, 0x008);
    t_eq("dfsr wnr", (exc_last.dfsr >> 11) & 1, 0);
    t_eq("dfar", exc_last.dfar, ABORT_ADDR);
    t_end();

    t_begin("exc_dabt_store");
    exc_clear();
    after = site_str_abort(FLAGS_B, ABORT_ADDR + 0x10);
    check_common(VEC_DABT, (u32)site_str_abort_at + 8, FLAGS_B, MODE_ABT | PSR_I | PSR_A, after);
    t_eq("dfsr status", exc_last.dfsr & 0x40f, 0x008);
    t_eq("dfsr wnr", (exc_last.dfsr >> 11) & 1, 1);
    t_eq("dfar", exc_last.dfar, ABORT_ADDR + 0x10);
    t_end();

    t_done();
}
