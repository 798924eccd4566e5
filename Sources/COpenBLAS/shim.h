// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Sizes are Int32 (blasint).
#include <cblas.h>
// Thread control is an OpenBLAS extension declared in cblas.h on Debian; restated for other layouts.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
