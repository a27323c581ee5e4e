/* Default exception policy for the guests: record, then continue after the
 * instruction that caused the exception.  IRQ/FIQ/Hyp/reset are never
 * expected and end the run with a FAIL line. */
#include "exc.h"

volatile struct exc_record exc_last;
volatile u32 exc_resume;
volatile u32 exc_expected;
void (*volatile exc_hook)(u32 vec, struct exc_frame *f);

static const char *const vec_name[8] = {"reset", "und", "svc", "pabt",
                                        "dabt", "hyp", "irq", "fiq"};

void exc_clear(void) {
    exc_last.count = 0;
    exc_last.vec = 0xffffffffu;
    exc_last.lr = exc_last.spsr = exc_last.cpsr = 0;
    exc_last.dfsr = exc_last.dfar = exc_last.ifsr = exc_last.ifar = 0;
    exc_resume = 0;
    exc_expected = 1;
}

static void die(const char *why, u32 vec, struct exc_frame *f) {
    uart_puts("FAIL exception ");
    uart_puts(why);
    uart_puts(" vec=");
    uart_puts(vec_name[vec & 7]);
    uart_puts(" lr=");
    uart_hex(f->ret);
    uart_puts(" spsr=");
    uart_hex(f->spsr);
    uart_puts(" dfsr=");
    uart_hex(dfsr_read());
    uart_puts(" dfar=");
    uart_hex(dfar_read());
    uart_puts(" ifsr=");
    uart_hex(ifsr_read());
    uart_puts("\n");
    power_off();
}

void exc_dispatch(u32 vec, struct exc_frame *f, u32 cpsr) {
    exc_last.count++;
    exc_last.vec = vec;
    exc_last.lr = f->ret;
    exc_last.spsr = f->spsr;
    exc_last.cpsr = cpsr;
    exc_last.dfsr = dfsr_read();
    exc_last.dfar = dfar_read();
    exc_last.ifsr = ifsr_read();
    exc_last.ifar = ifar_read();

    if (!exc_expected ||
        (vec != VEC_UND && vec != VEC_SVC && vec != VEC_PABT && vec != VEC_DABT))
        die("unexpected", vec, f);
    if (exc_last.count > 64)
        die("storm", vec, f);

    /* Continue after the faulting instruction (ARM state):
     * UND/SVC/PABT LR = insn + 4, DABT LR = insn + 8. */
    if (vec == VEC_DABT)
        f->ret -= 4;
    if (exc_resume) {
        f->ret = exc_resume;
        exc_resume = 0;
    }
    if (exc_hook)
        exc_hook(vec, f);
}
