#include "base/money.h"

enum err
money_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	__extension__ typedef __int128 i128;
	i128 p, q, r, twice;
	int neg;

	if (den <= 0)
		return ERR_INVALID;
	p = (i128)a * num;
	neg = p < 0;
	if (neg)
		p = -p;
	q = p / den;
	r = p % den;
	twice = r * 2;
	if (twice > den || (twice == den && (q & 1)))
		q++;
	if (neg)
		q = -q;
	if (q > INT64_MAX || q < INT64_MIN)
		return ERR_INVALID;
	*out = (int64_t)q;
	return ERR_OK;
}

enum err
money_bps(int64_t amount, int64_t bps, int64_t *out)
{
	return money_muldiv(amount, bps, 10000, out);
}
