/*  it_analytics — asking the stack's analytics from a test, over its real
    ROUTER with real protobuf, and waiting until it has followed the log.
*/
#ifndef IT_ANALYTICS_H
#define IT_ANALYTICS_H

#include <stdbool.h>
#include <stdint.h>
#include "ow_pb.h"

//  Sends a request to analytics (OFWATCH_ANALYTICS) and returns its reply
//  (caller frees), or NULL after printing why there was none. A reply
//  with another body than `expected` is printed too, and returned.
Ofwatch__V1__Reply *it_analytics_ask (Ofwatch__V1__Request *request,
                                      Ofwatch__V1__Reply__BodyCase expected);

//  The history and state of an authority (any name the register knows).
Ofwatch__V1__Reply *it_analytics_history (const char *authority);

//  The recurring theme of a state, or NULL; whether a theme occurs in an
//  inspection or visit of that date.
const Ofwatch__V1__ThemeRecurring *it_analytics_recurring (
    const Ofwatch__V1__AuthorityState *state, Ofwatch__V1__Theme theme);
bool it_analytics_occurs_on (const Ofwatch__V1__ThemeRecurring *recurring, const char *date);

//  Until analytics has followed the log to its end, its own derived
//  events included, three times running; false after timeout_ms.
bool it_analytics_settle (int timeout_ms);

#endif
