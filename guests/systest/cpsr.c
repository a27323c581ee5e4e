/* CPSR write rules (ARM ARM B1.3.3, B9.3.11/12): an MSR that names an
 * illegal mode leaves the mode unchanged (the ARMv8 constrained-
 * UNPREDICTABLE choice, which QEMU follows); a valid one switches; in
 * User mode MSR writes only the flags/GE and CPS is a NOP.  The User-mode
 * state is read from SPSR_svc on the SVC that returns, because MRS in User
 * mode does not promise to show mode or mask bits. */
#include "../common/test.h"
#include "../common/exc.h"

u32 msr_mode_probe(u32 c);
void user_msr_probe(u32 v);
void user_cps_probe(void);

static u32 user_spsr;

/* Return from the User-mode probe's SVC to SVC mode, masks as they were. */
static void back_to_svc(u32 vec, struct exc_frame *f) {
    if (vec == VEC_SVC) {
        user_spsr = f->spsr;
        f->spsr = (f->spsr & ~PSR_MODE) | MODE_SVC;
    }
}

int main(void) {
    u32 c, before = cpsr_read();
    u32 masks = before & (PSR_A | PSR_I | PSR_F);
    u32 cbits = (before & 0xc0u);   /* I, F: keep them in every CPSR_c write */

    t_begin("cpsr_msr_valid_mode");
    c = msr_mode_probe(cbits | MODE_SYS);
    t_eq("mode", c & PSR_MODE, MODE_SYS);
    t_eq("mode restored", cpsr_read() & PSR_MODE, MODE_SVC);
    t_end();

    static const u32 illegal[] = {0x15, 0x1a /* Hyp from PL1 */, 0x16 /* Mon, NS */, 0x00, 0x0e};
    t_begin("cpsr_msr_illegal_mode");
    for (unsigned i = 0; i < sizeof illegal / sizeof illegal[0]; i++) {
        c = msr_mode_probe(cbits | illegal[i]);
        t_eq("mode after illegal write", c & PSR_MODE, MODE_SVC);
    }
    t_end();

    t_begin("cpsr_user_msr");
    exc_clear();
    exc_hook = back_to_svc;
    user_msr_probe(0x900f0000u | MODE_SVC);   /* flags+GE, AIF clear, SVC */
    t_eq("svc count", exc_last.count, 1);
    t_eq("user spsr", user_spsr, 0x900f0000u | masks | MODE_USR);
    t_eq("back in svc", cpsr_read() & PSR_MODE, MODE_SVC);
    t_end();

    t_begin("cpsr_user_cps_nop");
    exc_clear();
    exc_hook = back_to_svc;
    user_cps_probe();
    t_eq("svc count", exc_last.count, 1);
    t_eq("user spsr mode", user_spsr & PSR_MODE, MODE_USR);
    t_eq("user spsr masks", user_spsr & (PSR_A | PSR_I | PSR_F), masks);
    t_end();

    exc_hook = 0;
    t_done();
}
