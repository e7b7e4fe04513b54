/* OpenBLAS as seen from Swift: CBLAS, plus the few LAPACK routines Assay
 * calls, declared here because Debian's libopenblas-dev ships no LAPACKE
 * header. All arguments follow the Fortran convention (by pointer,
 * column-major). */
#ifndef ASSAY_COPENBLAS_SHIM_H
#define ASSAY_COPENBLAS_SHIM_H

#include <cblas.h>

/* Cholesky factorisation and solve of a symmetric positive-definite system. */
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a,
            const int *lda, double *b, const int *ldb, int *info);

/* Symmetric eigen-decomposition (divide and conquer). */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a,
             const int *lda, double *w, double *work, const int *lwork,
             int *iwork, const int *liwork, int *info);

/* Let the host choose how many threads OpenBLAS uses, so that Assay's own
 * parallel chunks do not oversubscribe the cores. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

#endif
