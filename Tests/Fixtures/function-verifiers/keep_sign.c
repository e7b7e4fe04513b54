/* Plain C checkers (no Assay header) for the "function" verifier tests:
 * the rule of examples/c-verifier with coordinate 0 and margin 0, i.e.
 * keep (x, y') when y' * x[0] > 0, once per sample and once per batch. */
#include <stddef.h>
#include <stdint.h>

int keep_sign(const double *x, int d, double y) {
    (void)d;
    return y * x[0] > 0.0;
}

void keep_sign_batch(const double *x, const double *y, size_t n, size_t d, uint8_t *keep) {
    for (size_t i = 0; i < n; i++)
        keep[i] = (uint8_t)(y[i] * x[i * d] > 0.0);
}

/* The same rule returning a double (nonzero keeps) with a long count. */
double keep_sign_double(const double *x, long d, double y) {
    (void)d;
    return y * x[0] > 0.0 ? 2.5 : 0.0;
}

/* A batch function that reports failure through its status. */
int failing_batch(const double *x, const double *y, int n, int d, unsigned char *keep) {
    (void)x; (void)y; (void)n; (void)d; (void)keep;
    return 7;
}
