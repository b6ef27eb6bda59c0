/*
 * A fake cachetd for the CLI tests: a thread serving a temporary UNIX socket
 * STATE_DIR/cachetd.sock, one request per connection, answering through a
 * handler the test provides and recording every request it receives.
 */
#ifndef CACHET_TEST_CLI_FAKE_H
#define CACHET_TEST_CLI_FAKE_H

#include <json.h>

/*
 * Answers one request: returns the reply line (malloc'd, without the newline)
 * or NULL to close the connection without answering.
 */
typedef char *fake_handler_fn(const char *method, struct json_object *params,
			      struct json_object *req);

/* Starts the fake daemon; returns its state directory. */
const char *fake_start(fake_handler_fn *handler);
void fake_stop(void);

/* The requests received so far (parsed), in order. */
int fake_nrequests(void);
/* A new reference to request @i; the test puts it. */
struct json_object *fake_request(int i);
/* The params of request @i as compact JSON text (freed by the test), "" if none. */
char *fake_params_text(int i);

/* Reply lines for @req: a result (consumed) or an error. */
char *fake_result(struct json_object *req, struct json_object *result);
char *fake_error(struct json_object *req, int code, const char *message);

#endif
