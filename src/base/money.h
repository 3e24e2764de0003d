/* Money is an integer count of minor units with an ISO 4217 code; rates are
 * basis points. All rounding in Tandem happens here: half to even. */
#ifndef TANDEM_MONEY_H
#define TANDEM_MONEY_H

#include <stdint.h>

#include "base/err.h"

#define MONEY_MAX INT64_C(1000000000000000) /* 10^15 minor units */
#define BPS_MAX 10000

struct money {
	int64_t amount;
	char currency[4]; /* "" when the money is absent */
};

/* a * num / den, rounded half to even; den > 0. ERR_INVALID on overflow. */
enum err money_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out);
/* amount × bps / 10000, half to even. */
enum err money_bps(int64_t amount, int64_t bps, int64_t *out);

#endif
