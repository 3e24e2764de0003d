/* The OpenAPI document and the route table describe the same routes: every
 * route has its operation, every operation its route; public routes declare
 * no security and the others bearer auth. The router matches patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "base/embed.h"
#include "http/router.h"

static json_t *
load_doc(void)
{
	const struct embedded_file *f = embed_find("api/openapi.json");
	json_error_t je;
	json_t *doc;

	assert_non_null(f);
	doc = json_loadb(f->data, f->len, 0, &je);
	if (!doc)
		fail_msg("openapi.json: line %d: %s", je.line, je.text);
	return doc;
}

static void
lower(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static void
test_every_route_documented(void **state)
{
	json_t *doc = load_doc(), *paths = json_object_get(doc, "paths");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	for (size_t i = 0; i < routes_len; i++) {
		char m[16];
		json_t *op, *sec;

		lower(routes[i].method, m, sizeof m);
		op = json_object_get(json_object_get(paths, routes[i].pattern), m);
		if (!op)
			fail_msg("route %s %s is not in openapi.json", routes[i].method,
			         routes[i].pattern);
		sec = json_object_get(op, "security");
		if ((routes[i].flags & ROUTE_PUBLIC) && !(routes[i].flags & ROUTE_OWN_AUTH)) {
			if (!sec || json_array_size(sec) != 0)
				fail_msg("%s %s is public but documents security", routes[i].method,
				         routes[i].pattern);
		} else if (sec && json_array_size(sec) == 0) {
			fail_msg("%s %s needs a token but documents none", routes[i].method,
			         routes[i].pattern);
		}
		if (!json_object_get(op, "operationId"))
			fail_msg("%s %s has no operationId", routes[i].method, routes[i].pattern);
	}
	json_decref(doc);
}

static void
test_every_operation_routed(void **state)
{
	static const char *const methods[] = { "get", "post", "put", "patch", "delete" };
	json_t *doc = load_doc(), *paths = json_object_get(doc, "paths"), *item;
	const char *path;

	(void)state;
	json_object_foreach(paths, path, item)
	{
		for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++) {
			size_t i;
			if (!json_object_get(item, methods[k]))
				continue;
			for (i = 0; i < routes_len; i++) {
				char m[16];
				lower(routes[i].method, m, sizeof m);
				if (!strcmp(routes[i].pattern, path) && !strcmp(m, methods[k]))
					break;
			}
			if (i == routes_len)
				fail_msg("openapi.json documents %s %s, which is not served",
				         methods[k], path);
		}
	}
	json_decref(doc);
}

static void
test_match(void **state)
{
	static const struct {
		const char *method, *path;
		const char *pattern; /* NULL: no route */
		int known;           /* with no route: does the path exist for another method? */
		const char *param0, *param1;
	} cases[] = {
		{ "GET", "/api/v1/partners", "/api/v1/partners", 0, NULL, NULL },
		{ "GET", "/api/v1/partners/12", "/api/v1/partners/{id}", 0, "12", NULL },
		{ "PATCH", "/api/v1/partners/7/agreements/3",
		  "/api/v1/partners/{id}/agreements/{agreement_id}", 0, "7", "3" },
		{ "DELETE", "/api/v1/partners/12", NULL, 1, NULL, NULL },
		{ "GET", "/api/v1/partners/12/", NULL, 0, NULL, NULL },
		{ "GET", "/api/v1/partners//agreements", NULL, 0, NULL, NULL },
		{ "GET", "/api/v1/nope", NULL, 0, NULL, NULL },
		{ "GET", "/", NULL, 0, NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct req rq = { 0 };
		char allow[64];
		int known = -1;
		const struct route *r = router_match(&rq, cases[i].method, cases[i].path, &known,
		                                     allow, sizeof allow);
		if (!cases[i].pattern) {
			if (r)
				fail_msg("%s matched %s", cases[i].path, r->pattern);
			assert_int_equal(known, cases[i].known);
		} else {
			assert_non_null(r);
			assert_string_equal(r->pattern, cases[i].pattern);
			if (cases[i].param0)
				assert_string_equal(rq.params[0], cases[i].param0);
			if (cases[i].param1)
				assert_string_equal(rq.params[1], cases[i].param1);
		}
		arena_release(&rq.arena);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_documented),
		cmocka_unit_test(test_every_operation_routed),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
