/*  ex_json — reading JSON into a small tree.

    A recursive-descent parser over a cursor; every failure path frees
    what it built and reports the byte offset.
*/

#include "ex_text.h"
#include "ex_json.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *text;
    size_t length, pos;
    const char *error;
} cursor_t;

static ex_json_t *parse_value (cursor_t *c, int depth);

static void
skip_space (cursor_t *c)
{
    while (c->pos < c->length && (c->text [c->pos] == ' ' || c->text [c->pos] == '\t'
           || c->text [c->pos] == '\n' || c->text [c->pos] == '\r'))
        c->pos++;
}

static ex_json_t *
new_value (ex_json_type_t type)
{
    ex_json_t *value = ow_calloc (1, sizeof (ex_json_t));
    value->type = type;
    return value;
}

void
ex_json_destroy (ex_json_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_json_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        ex_json_destroy (&self->items [i]);
        if (self->keys)
            free (self->keys [i]);
    }
    free (self->items);
    free (self->keys);
    free (self->string);
    free (self);
    *self_p = NULL;
}

static int
hex_value (char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool
read_hex4 (cursor_t *c, unsigned *code)
{
    if (c->length - c->pos < 4)
        return false;
    *code = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value (c->text [c->pos++]);
        if (h < 0)
            return false;
        *code = *code * 16 + (unsigned) h;
    }
    return true;
}

//  Reads a string at the cursor (on its opening quote); caller frees.
static char *
parse_string (cursor_t *c)
{
    c->pos++;
    //  The decoded string is never longer than its source.
    size_t end = c->pos;
    while (end < c->length && c->text [end] != '"')
        end += c->text [end] == '\\' ? 2 : 1;
    char *out = ow_malloc ((end < c->length ? end : c->length) - c->pos + 1);
    size_t used = 0;
    while (c->pos < c->length) {
        unsigned char ch = (unsigned char) c->text [c->pos++];
        if (ch == '"') {
            out [used] = '\0';
            return out;
        }
        if (ch < 0x20)
            break;
        if (ch != '\\') {
            out [used++] = (char) ch;
            continue;
        }
        if (c->pos >= c->length)
            break;
        char e = c->text [c->pos++];
        const char *plain = strchr ("\"\\/bfnrt", e);
        if (plain && e) {
            static const char decoded [] = "\"\\/\b\f\n\r\t";
            out [used++] = decoded [plain - "\"\\/bfnrt"];
            continue;
        }
        unsigned code;
        if (e != 'u' || !read_hex4 (c, &code))
            break;
        if (code >= 0xD800 && code <= 0xDBFF) {
            unsigned low;
            if (c->length - c->pos < 6 || c->text [c->pos] != '\\' || c->text [c->pos + 1] != 'u')
                break;
            c->pos += 2;
            if (!read_hex4 (c, &low) || low < 0xDC00 || low > 0xDFFF)
                break;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        else
        if (code >= 0xDC00 && code <= 0xDFFF)
            break;
        //  A \u escape (6 bytes) never decodes to more than 4.
        used += ex_put_utf8 (out + used, code);
    }
    free (out);
    c->error = "a string is not closed or holds a bad escape";
    return NULL;
}

static ex_json_t *
parse_number (cursor_t *c)
{
    size_t start = c->pos;
    if (c->text [c->pos] == '-')
        c->pos++;
    size_t digits = c->pos;
    while (c->pos < c->length && isdigit ((unsigned char) c->text [c->pos]))
        c->pos++;
    if (c->pos == digits || (c->text [digits] == '0' && c->pos - digits > 1)) {
        c->error = "a number is malformed";
        return NULL;
    }
    if (c->pos < c->length && c->text [c->pos] == '.') {
        size_t fraction = ++c->pos;
        while (c->pos < c->length && isdigit ((unsigned char) c->text [c->pos]))
            c->pos++;
        if (c->pos == fraction) {
            c->error = "a number is malformed";
            return NULL;
        }
    }
    if (c->pos < c->length && (c->text [c->pos] == 'e' || c->text [c->pos] == 'E')) {
        c->pos++;
        if (c->pos < c->length && (c->text [c->pos] == '+' || c->text [c->pos] == '-'))
            c->pos++;
        size_t exponent = c->pos;
        while (c->pos < c->length && isdigit ((unsigned char) c->text [c->pos]))
            c->pos++;
        if (c->pos == exponent) {
            c->error = "a number is malformed";
            return NULL;
        }
    }
    char buffer [64];
    size_t n = c->pos - start < sizeof buffer - 1 ? c->pos - start : sizeof buffer - 1;
    memcpy (buffer, c->text + start, n);
    buffer [n] = '\0';
    ex_json_t *value = new_value (EX_JSON_NUMBER);
    value->number = strtod (buffer, NULL);
    return value;
}

static void
append (ex_json_t *container, ex_json_t *item, char *key, size_t *capacity)
{
    if (container->count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 8;
        container->items = realloc (container->items, *capacity * sizeof (ex_json_t *));
        if (container->type == EX_JSON_OBJECT)
            container->keys = realloc (container->keys, *capacity * sizeof (char *));
        if (!container->items || (container->type == EX_JSON_OBJECT && !container->keys))
            abort ();
    }
    container->items [container->count] = item;
    if (container->keys)
        container->keys [container->count] = key;
    container->count++;
}

static ex_json_t *
parse_container (cursor_t *c, int depth, bool object)
{
    ex_json_t *container = new_value (object ? EX_JSON_OBJECT : EX_JSON_ARRAY);
    size_t capacity = 0;
    char close = object ? '}' : ']';
    c->pos++;
    skip_space (c);
    if (c->pos < c->length && c->text [c->pos] == close) {
        c->pos++;
        return container;
    }
    while (c->pos < c->length) {
        char *key = NULL;
        if (object) {
            skip_space (c);
            if (c->pos >= c->length || c->text [c->pos] != '"'
            ||  !(key = parse_string (c))) {
                if (!c->error)
                    c->error = "an object member has no name";
                break;
            }
            skip_space (c);
            if (c->pos >= c->length || c->text [c->pos] != ':') {
                free (key);
                c->error = "a member name is not followed by ':'";
                break;
            }
            c->pos++;
        }
        ex_json_t *item = parse_value (c, depth + 1);
        if (!item) {
            free (key);
            break;
        }
        append (container, item, key, &capacity);
        skip_space (c);
        if (c->pos < c->length && c->text [c->pos] == ',') {
            c->pos++;
            continue;
        }
        if (c->pos < c->length && c->text [c->pos] == close) {
            c->pos++;
            return container;
        }
        c->error = object ? "an object is not closed" : "an array is not closed";
        break;
    }
    if (!c->error)
        c->error = "the text ends too soon";
    ex_json_destroy (&container);
    return NULL;
}

static bool
literal (cursor_t *c, const char *word)
{
    size_t n = strlen (word);
    if (c->length - c->pos >= n && memcmp (c->text + c->pos, word, n) == 0) {
        c->pos += n;
        return true;
    }
    return false;
}

static ex_json_t *
parse_value (cursor_t *c, int depth)
{
    if (depth > EX_JSON_MAX_DEPTH) {
        c->error = "nesting is too deep";
        return NULL;
    }
    skip_space (c);
    if (c->pos >= c->length) {
        c->error = "the text ends too soon";
        return NULL;
    }
    char ch = c->text [c->pos];
    if (ch == '{' || ch == '[')
        return parse_container (c, depth, ch == '{');
    if (ch == '"') {
        char *string = parse_string (c);
        if (!string)
            return NULL;
        ex_json_t *value = new_value (EX_JSON_STRING);
        value->string = string;
        return value;
    }
    if (ch == '-' || isdigit ((unsigned char) ch))
        return parse_number (c);
    if (literal (c, "true") || literal (c, "false")) {
        ex_json_t *value = new_value (EX_JSON_BOOL);
        value->boolean = c->text [c->pos - 1] == 'e' && c->text [c->pos - 2] == 'u';
        return value;
    }
    if (literal (c, "null"))
        return new_value (EX_JSON_NULL);
    c->error = "an unexpected character";
    return NULL;
}

ex_json_t *
ex_json_parse (const char *text, size_t length, char **error)
{
    cursor_t c = { text, length, 0, NULL };
    ex_json_t *value = text ? parse_value (&c, 0) : NULL;
    if (value) {
        skip_space (&c);
        if (c.pos < c.length) {
            c.error = "text follows the JSON value";
            ex_json_destroy (&value);
        }
    }
    if (!value && error)
        *error = ow_printf ("not JSON: %s at byte %zu", c.error ? c.error : "no value", c.pos);
    return value;
}

const ex_json_t *
ex_json_get (const ex_json_t *object, const char *key)
{
    if (!object || object->type != EX_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp (object->keys [i], key) == 0)
            return object->items [i];
    return NULL;
}

const char *
ex_json_string (const ex_json_t *value)
{
    return value && value->type == EX_JSON_STRING ? value->string : NULL;
}
