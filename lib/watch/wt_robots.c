/*  wt_robots — robots.txt rules; see wt_robots.h.  */

#include "wt_robots.h"
#include "ow_pb.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

//  A line longer than this is not a rule anyone meant (RFC 9309 asks
//  crawlers to read at least 500 KiB of file, not lines of any length).
#define LINE_MAX_BYTES 2048

typedef struct {
    char *pattern;
    bool allow;
} rule_t;

typedef struct {
    rule_t *rules;
    size_t count;
    double crawl_delay;
} rules_t;

struct _wt_robots_t {
    rules_t ours;                   // groups naming our product token
    rules_t anyone;                 // groups for "*"
    bool named;                     // some group named us: only `ours` counts
    bool deny_all;
};

static void
rules_add (rules_t *rules, const char *pattern, bool allow)
{
    rules->rules = realloc (rules->rules, (rules->count + 1) * sizeof (rule_t));
    if (!rules->rules)
        abort ();
    rules->rules [rules->count].pattern = ow_strdup (pattern);
    rules->rules [rules->count].allow = allow;
    rules->count++;
}

static void
rules_free (rules_t *rules)
{
    for (size_t i = 0; i < rules->count; i++)
        free (rules->rules [i].pattern);
    free (rules->rules);
}

//  Whether a user-agent line's value names `agent`: its product token
//  (up to a "/" or a blank) equals ours, in any case.
static bool
names_agent (const char *value, const char *agent)
{
    size_t length = strcspn (value, "/ \t");
    return length == strlen (agent) && strncasecmp (value, agent, length) == 0;
}

static char *
trim (char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t length = strlen (text);
    while (length && (text [length - 1] == ' ' || text [length - 1] == '\t'
                      || text [length - 1] == '\r'))
        text [--length] = '\0';
    return text;
}

//  The parser's place: which groups the lines now being read belong to.
typedef struct {
    wt_robots_t *robots;
    const char *agent;
    bool in_agent_lines;            // the last record was a user-agent line
    bool group_ours, group_anyone;
} parse_t;

static void
parse_record (parse_t *p, const char *key, const char *value)
{
    if (strcasecmp (key, "user-agent") == 0) {
        if (!p->in_agent_lines)
            p->group_ours = p->group_anyone = false;
        p->in_agent_lines = true;
        if (names_agent (value, p->agent))
            p->group_ours = p->robots->named = true;
        if (strcmp (value, "*") == 0)
            p->group_anyone = true;
        return;
    }
    bool allow = strcasecmp (key, "allow") == 0;
    bool disallow = strcasecmp (key, "disallow") == 0;
    bool delay = strcasecmp (key, "crawl-delay") == 0;
    if (!allow && !disallow && !delay)
        return;                     // sitemap and the like belong to no group
    p->in_agent_lines = false;
    rules_t *targets [2] = { p->group_ours ? &p->robots->ours : NULL,
                             p->group_anyone ? &p->robots->anyone : NULL };
    for (int i = 0; i < 2; i++) {
        if (!targets [i])
            continue;
        if (delay) {
            char *end = NULL;
            double seconds = strtod (value, &end);
            if (end != value && seconds > 0 && seconds <= 3600)
                targets [i]->crawl_delay = seconds;
        }
        else
        if (*value)                 // "Disallow:" with no path forbids nothing
            rules_add (targets [i], value, allow);
    }
}

wt_robots_t *
wt_robots_parse (const char *text, size_t size, const char *agent)
{
    assert (agent && *agent);
    wt_robots_t *self = ow_calloc (1, sizeof (wt_robots_t));
    parse_t p = { .robots = self, .agent = agent };
    char line [LINE_MAX_BYTES + 1];
    size_t at = 0;
    while (at < size) {
        const char *end = memchr (text + at, '\n', size - at);
        size_t length = (end ? (size_t) (end - text) : size) - at;
        if (length <= LINE_MAX_BYTES) {
            memcpy (line, text + at, length);
            line [length] = '\0';
            line [strcspn (line, "#")] = '\0';
            char *colon = strchr (line, ':');
            if (colon) {
                *colon = '\0';
                parse_record (&p, trim (line), trim (colon + 1));
            }
        }
        at += length + 1;
    }
    return self;
}

wt_robots_t *
wt_robots_allow_all (void)
{
    return ow_calloc (1, sizeof (wt_robots_t));
}

wt_robots_t *
wt_robots_deny_all (void)
{
    wt_robots_t *self = ow_calloc (1, sizeof (wt_robots_t));
    self->deny_all = true;
    return self;
}

void
wt_robots_destroy (wt_robots_t **self_p)
{
    wt_robots_t *self = *self_p;
    if (!self)
        return;
    rules_free (&self->ours);
    rules_free (&self->anyone);
    free (self);
    *self_p = NULL;
}

//  Whether pattern [0, length) matches the whole of path, `*` matching
//  any run of characters: the usual two-pointer wildcard match, which
//  backtracks only to the last star, so it never takes exponential time.
static bool
glob_matches (const char *pattern, size_t length, const char *path)
{
    size_t p = 0, s = 0, star = SIZE_MAX, mark = 0;
    while (path [s]) {
        if (p < length && pattern [p] == '*') {
            star = p++;
            mark = s;
        }
        else
        if (p < length && pattern [p] == path [s]) {
            p++;
            s++;
        }
        else
        if (star != SIZE_MAX) {
            p = star + 1;
            s = ++mark;
        }
        else
            return false;
    }
    while (p < length && pattern [p] == '*')
        p++;
    return p == length;
}

//  A robots.txt pattern matches a path's beginning, unless it ends in `$`.
static bool
rule_matches (const char *pattern, const char *path)
{
    size_t length = strlen (pattern);
    if (length && pattern [length - 1] == '$')
        return glob_matches (pattern, length - 1, path);
    char *open = ow_printf ("%s*", pattern);
    bool matches = glob_matches (open, length + 1, path);
    free (open);
    return matches;
}

static const rules_t *
applicable (const wt_robots_t *self)
{
    return self->named ? &self->ours : &self->anyone;
}

bool
wt_robots_allows (const wt_robots_t *self, const char *path)
{
    if (strcmp (path, "/robots.txt") == 0)
        return true;
    if (self->deny_all)
        return false;
    const rules_t *rules = applicable (self);
    size_t best = 0;
    bool allowed = true;
    for (size_t i = 0; i < rules->count; i++) {
        const rule_t *rule = &rules->rules [i];
        size_t length = strlen (rule->pattern);
        if (length < best || !rule_matches (rule->pattern, path))
            continue;
        if (length > best || rule->allow)
            allowed = rule->allow;
        best = length;
    }
    return allowed;
}

double
wt_robots_crawl_delay (const wt_robots_t *self)
{
    return applicable (self)->crawl_delay;
}
