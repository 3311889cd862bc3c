/*  ex_people — inspectors' names as reports and letters print them.

    A name is two to five words, each starting with a capital (or one of
    the particles "de", "van", "le"), ending at a comma, a title ("HMI",
    "Her Majesty's Inspector"), a line end or a lower-case word.
*/

#include "ex_people.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NAME_WORDS 5

static bool
is_title_word (const char *text, size_t end, size_t pos)
{
    static const char *titles [] = {
        "HMI", "Her ", "His ", "Senior ", "Ofsted", "Social ", "Inspector", "Deputy",
        "Team ", "Lead ", "and ", "OBE", "Dr ", "Mr ", "Mrs ", "Ms ", "Miss ", NULL
    };
    for (size_t i = 0; titles [i]; i++)
        if (ex_at (text, end, pos, titles [i]) && strncmp (text + pos, titles [i], 1) == 0) {
            size_t n = strlen (titles [i]);
            if (titles [i][n - 1] == ' ' || pos + n >= end || !isalpha ((unsigned char) text [pos + n]))
                return true;
        }
    return false;
}

static bool
is_particle (const char *text, size_t end, size_t pos)
{
    static const char *particles [] = { "de ", "van ", "von ", "le ", "la ", "da ", "del ", NULL };
    for (size_t i = 0; particles [i]; i++)
        if (end - pos > strlen (particles [i]) && strncmp (text + pos, particles [i], strlen (particles [i])) == 0)
            return true;
    return false;
}

//  Length of the name word at pos: letters, apostrophes (’ too) and
//  hyphens, starting with a capital.
static size_t
name_word (const char *text, size_t end, size_t pos)
{
    size_t i = pos;
    if (i >= end || !isupper ((unsigned char) text [i]))
        return 0;
    while (i < end) {
        unsigned char c = (unsigned char) text [i];
        if (isalpha (c) || c == '-' || c == '\'')
            i++;
        else
        if (c == 0xE2 && i + 2 < end && (unsigned char) text [i + 1] == 0x80
        &&  (unsigned char) text [i + 2] == 0x99)
            i += 3;
        else
        if (c >= 0xC3 && c <= 0xC5 && i + 1 < end)     //  é, ö, ł ...
            i += 2;
        else
            break;
    }
    return i - pos;
}

//  Length of an honorific at pos ("Dr ", "Mrs "), 0 when none: not part
//  of the name as reports list inspectors.
static size_t
honorific_at (const char *text, size_t end, size_t pos)
{
    static const char *honorifics [] = { "Dr ", "Dr. ", "Mr ", "Mr. ", "Mrs ", "Mrs. ", "Ms ", "Ms. ",
                                         "Miss ", "Mx ", "Professor ", "Prof ", NULL };
    for (size_t i = 0; honorifics [i]; i++) {
        size_t n = strlen (honorifics [i]);
        if (pos + n < end && strncmp (text + pos, honorifics [i], n) == 0)
            return n;
    }
    return 0;
}

char *
ex_person_at (const char *text, size_t end, size_t pos, size_t *after)
{
    while (pos < end && (isspace ((unsigned char) text [pos]) || text [pos] == ':'))
        pos++;
    pos += honorific_at (text, end, pos);
    size_t start = pos, stop = pos, words = 0;
    while (pos < end && words < MAX_NAME_WORDS) {
        if (is_title_word (text, end, pos))
            break;
        size_t n = is_particle (text, end, pos) ? strcspn (text + pos, " ") : name_word (text, end, pos);
        if (n == 0)
            break;
        pos += n;
        stop = pos;
        words++;
        //  One space (or a line break: "Chris\nMoore") to the next word.
        if (pos < end && (text [pos] == ' ' || text [pos] == '\n'))
            pos++;
        else
            break;
    }
    if (words < 2 || (stop > start && text [stop - 1] == '-'))
        return NULL;
    if (after)
        *after = stop;
    char *name = ow_strndup (text + start, stop - start);
    for (char *c = name; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return name;
}

//  Length of the separator " and " at pos, with any white space (a line
//  break) around the word; 0 when there is none.
static size_t
and_at (const char *text, size_t end, size_t pos)
{
    if (pos >= end || !isspace ((unsigned char) text [pos]))
        return 0;
    size_t k = pos;
    while (k < end && isspace ((unsigned char) text [k]))
        k++;
    if (k + 3 >= end || strncmp (text + k, "and", 3) != 0 || !isspace ((unsigned char) text [k + 3]))
        return 0;
    return k + 3 - pos;
}

void
ex_people_list (const char *text, size_t start, size_t end,
                void (*add) (void *arg, const char *name), void *arg)
{
    size_t pos = start;
    while (pos < end) {
        while (pos < end && isspace ((unsigned char) text [pos]))
            pos++;
        //  ", and B": the word opens the item.
        if (pos + 4 <= end && strncmp (text + pos, "and", 3) == 0 && isspace ((unsigned char) text [pos + 3]))
            pos += 4;
        size_t after;
        char *name = ex_person_at (text, end, pos, &after);
        if (name) {
            add (arg, name);
            free (name);
            pos = after;
        }
        //  Skip to the next list item: past a comma or "and".
        size_t separator = 0;
        while (pos < end && text [pos] != ',' && (separator = and_at (text, end, pos)) == 0)
            pos++;
        if (pos < end)
            pos += text [pos] == ',' ? 1 : separator;
    }
}

char *
ex_lead_inspector (const char *text, size_t from, size_t to)
{
    static const char *labels [] = {
        "Lead inspectors", "Lead inspector on site", "Lead Inspector on site",
        "Lead inspector", "Lead Inspector", "Reporting inspector", "Lead HMI", NULL
    };
    for (size_t pos = from; pos < to;) {
        for (size_t i = 0; labels [i]; i++) {
            size_t n = strlen (labels [i]);
            if (pos + n <= to && strncmp (text + pos, labels [i], n) == 0) {
                size_t at = pos + n;
                while (at < to && (text [at] == ':' || text [at] == ' ' || text [at] == '\t'))
                    at++;
                if (at < to && text [at] == '\n')
                    at++;
                char *name = ex_person_at (text, to, at, NULL);
                if (name)
                    return name;
            }
        }
        const char *newline = memchr (text + pos, '\n', to - pos);
        pos = newline ? (size_t) (newline - text) + 1 : to;
    }
    return NULL;
}
