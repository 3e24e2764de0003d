/* What a storage backend provides; only store/ sees this. */
#ifndef TANDEM_DB_IMPL_H
#define TANDEM_DB_IMPL_H

#include "store/db.h"

struct db_engine_ops {
	enum err (*connect)(struct db *db, struct dbconn **out, struct errinfo *ei);
	void (*disconnect)(struct dbconn *c);
	enum err (*ping)(struct dbconn *c);
	enum err (*begin)(struct dbconn *c, int write);
	enum err (*commit)(struct dbconn *c);
	void (*rollback)(struct dbconn *c);
	int (*in_tx)(const struct dbconn *c);
	enum err (*exec)(struct dbconn *c, const char *sql);
	enum err (*prepare)(struct dbconn *c, const char *sql, struct dbstmt **out);
	void (*bind_i64)(struct dbstmt *st, int i, int64_t v);
	void (*bind_text)(struct dbstmt *st, int i, const char *s);
	void (*bind_null)(struct dbstmt *st, int i);
	enum err (*step)(struct dbstmt *st, int *row);
	void (*reset)(struct dbstmt *st);
	int64_t (*col_i64)(struct dbstmt *st, int i);
	const char *(*col_text)(struct dbstmt *st, int i);
	int (*col_null)(struct dbstmt *st, int i);
	int (*col_count)(struct dbstmt *st);
	const char *(*col_name)(struct dbstmt *st, int i);
	enum db_type (*col_type)(struct dbstmt *st, int i);
	enum err (*backup)(struct dbconn *c, const char *path, struct errinfo *ei);
	const char *(*errmsg)(struct dbconn *c);
	struct db *(*db_of)(struct dbconn *c);
};

struct db {
	enum db_engine engine;
	const struct db_engine_ops *ops;
	char *url;     /* as given: a file path or a libpq connection URI */
	char *display; /* the URL for messages, a password masked */
};

/* Every connection starts with a pointer to its ops, so the dispatch in
 * db.c needs no knowledge of the backend's struct. */
struct dbconn_head {
	const struct db_engine_ops *ops;
};
struct dbstmt_head {
	const struct db_engine_ops *ops;
};

extern const struct db_engine_ops db_sqlite_ops;
extern const struct db_engine_ops db_postgres_ops;

#endif
