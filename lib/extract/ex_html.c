/*  ex_html — the text of an HTML page, through libxml2's HTML parser.

    libxml2 parses into a tree (recovering from broken markup, never
    touching the network); a depth-first walk writes its text nodes,
    collapsing white space as a browser would, and turns the element
    structure into line breaks, tabs and bullets. The walk is iterative
    (an explicit parent climb), so deeply nested markup cannot exhaust
    the stack.
*/

#include "ex_html.h"
#include "ex_decode.h"
#include "ex_text.h"
#include "ow_pb.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIFF 2048              // where a declared charset is looked for

typedef struct {
    char *out;
    size_t used, size;
    bool space;                 // a white space run is pending
} sink_t;

static void
put (sink_t *sink, const char *bytes, size_t n)
{
    if (sink->used + n + 8 > sink->size) {
        sink->size = (sink->used + n + 8) * 2;
        sink->out = realloc (sink->out, sink->size);
        if (!sink->out)
            abort ();
    }
    memcpy (sink->out + sink->used, bytes, n);
    sink->used += n;
}

static bool
at_line_start (const sink_t *sink)
{
    return sink->used == 0 || sink->out [sink->used - 1] == '\n';
}

//  Text as a browser shows it: runs of white space (and no-break spaces)
//  become one space, none at a line's start.
static void
put_text (sink_t *sink, const char *text)
{
    for (const char *c = text; *c;) {
        bool nbsp = (unsigned char) c [0] == 0xC2 && (unsigned char) c [1] == 0xA0;
        if (isspace ((unsigned char) *c) || nbsp) {
            sink->space = true;
            c += nbsp ? 2 : 1;
            continue;
        }
        if (sink->space && !at_line_start (sink) && sink->out [sink->used - 1] != '\t')
            put (sink, " ", 1);
        sink->space = false;
        const char *run = c;
        while (*c && !isspace ((unsigned char) *c)
               && !((unsigned char) c [0] == 0xC2 && (unsigned char) c [1] == 0xA0))
            c++;
        put (sink, run, (size_t) (c - run));
    }
}

static void
put_break (sink_t *sink)
{
    sink->space = false;
    while (sink->used && sink->out [sink->used - 1] == ' ')
        sink->used--;
    if (!at_line_start (sink))
        put (sink, "\n", 1);
}

static bool
name_in (const xmlChar *name, const char *const *names)
{
    for (size_t i = 0; names [i]; i++)
        if (strcasecmp ((const char *) name, names [i]) == 0)
            return true;
    return false;
}

static bool
is_block (const xmlChar *name)
{
    static const char *blocks [] = {
        "p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4",
        "h5", "h6", "section", "article", "header", "footer", "title",
        "blockquote", "dt", "dd", "hr", "caption", "thead", "tbody", "main",
        "nav", "aside", "pre", "dl", "form", "li", "address", "figure",
        "figcaption", "details", "summary", NULL
    };
    return name_in (name, blocks);
}

static bool
is_hidden (const xmlChar *name)
{
    //  A site's navigation menus are the site's, not the document's.
    static const char *hidden [] = { "script", "style", "noscript", "template", "head", "nav", NULL };
    return name_in (name, hidden);
}

//  Opening an element: a line break before a block, a bullet before a
//  list item, a tab between table cells.
static void
open_element (sink_t *sink, const xmlNode *node)
{
    if (strcasecmp ((const char *) node->name, "td") == 0
    ||  strcasecmp ((const char *) node->name, "th") == 0) {
        if (!at_line_start (sink))
            put (sink, "\t", 1);
        sink->space = false;
    }
    else
    if (is_block (node->name)) {
        put_break (sink);
        if (strcasecmp ((const char *) node->name, "li") == 0)
            put (sink, "\xE2\x80\xA2 ", 4);
    }
}

static void
close_element (sink_t *sink, const xmlNode *node)
{
    if (is_block (node->name))
        put_break (sink);
}

static void
write_tree (sink_t *sink, xmlNode *root)
{
    xmlNode *node = root;
    while (node) {
        bool descend = false;
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
            put_text (sink, (const char *) node->content);
        else
        if (node->type == XML_ELEMENT_NODE && !is_hidden (node->name)) {
            open_element (sink, node);
            descend = node->children != NULL;
            if (!descend)
                close_element (sink, node);
        }
        if (descend) {
            node = node->children;
            continue;
        }
        //  Next sibling, else climb, closing the elements left.
        while (node && node != root && !node->next) {
            node = node->parent;
            if (node && node->type == XML_ELEMENT_NODE)
                close_element (sink, node);
        }
        if (!node || node == root)
            break;
        node = node->next;
    }
}

//  True when the page says its own encoding: a byte order mark, or a
//  charset in its first bytes (<meta charset=...>, http-equiv).
static bool
declares_charset (const uint8_t *html, size_t size)
{
    if ((size >= 3 && memcmp (html, "\xEF\xBB\xBF", 3) == 0)
    ||  (size >= 2 && (memcmp (html, "\xFF\xFE", 2) == 0 || memcmp (html, "\xFE\xFF", 2) == 0)))
        return true;
    size_t window = size < SNIFF ? size : SNIFF;
    for (size_t i = 0; i + 8 <= window; i++)
        if (strncasecmp ((const char *) html + i, "charset=", 8) == 0)
            return true;
    return false;
}

static pthread_once_t s_init = PTHREAD_ONCE_INIT;

static void
init_parser (void)
{
    xmlInitParser ();
}

char *
ex_html_text (const uint8_t *html, size_t size, size_t *out_length, char **error)
{
    pthread_once (&s_init, init_parser);
    if (size > INT32_MAX) {
        *error = ow_strdup ("the HTML page is too large");
        return NULL;
    }
    //  libxml2 honours a declared encoding; otherwise say which it is.
    const char *encoding = declares_charset (html, size) ? NULL
                         : ex_is_utf8 (html, size) ? "UTF-8" : "windows-1252";
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED;
    htmlDocPtr tree = htmlReadMemory ((const char *) html, (int) size, NULL, encoding, options);
    sink_t sink = { NULL, 0, 0, false };
    put (&sink, "", 0);
    if (tree) {
        //  The title names the page (councils' pages put the paper's
        //  title there); the rest of the head is furniture.
        xmlNode *root = xmlDocGetRootElement (tree);
        for (xmlNode *node = root ? root->children : NULL; node; node = node->next)
            if (node->type == XML_ELEMENT_NODE && strcasecmp ((const char *) node->name, "head") == 0)
                for (xmlNode *child = node->children; child; child = child->next)
                    if (child->type == XML_ELEMENT_NODE
                    &&  strcasecmp ((const char *) child->name, "title") == 0) {
                        write_tree (&sink, child);
                        put_break (&sink);
                    }
        for (xmlNode *node = tree->children; node; node = node->next)
            if (node->type == XML_ELEMENT_NODE || node->type == XML_TEXT_NODE)
                write_tree (&sink, node);
        xmlFreeDoc (tree);
    }
    put_break (&sink);
    sink.out [sink.used] = '\0';
    *out_length = sink.used;
    return sink.out;
}
