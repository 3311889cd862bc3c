/*  extract — facts from one document, the same code for ingest and the CLI.

    The steps, each owned by its own module: refuse what is too big or
    empty; hash; decide the medium by content (ex_decode) and turn it into
    text; decide the document's kind (ex_classify) and hand it to that
    kind's parser (ex_report, ex_letter, ex_council, ex_records); then
    settle the publication date (printed, else declared, else the file
    name's ISO prefix) and the deadlines that follow from it.
*/

#include "extract.h"
#include "ex_classify.h"
#include "ex_council.h"
#include "ex_decode.h"
#include "ex_doc.h"
#include "ex_interventions.h"
#include "ex_letter.h"
#include "ex_records.h"
#include "ex_report.h"
#include "ex_send.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static char *
sha256_hex (const uint8_t *bytes, size_t size)
{
    unsigned char digest [EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    EVP_Digest (bytes, size, digest, &digest_size, EVP_sha256 (), NULL);
    char *hex = ow_malloc (digest_size * 2 + 1);
    for (unsigned i = 0; i < digest_size; i++)
        snprintf (hex + i * 2, 3, "%02x", digest [i]);
    return hex;
}

//  An ISO date at the start of the file's base name ("2022-09-21.pdf").
static int
date_from_file_name (const char *file_name)
{
    if (!file_name)
        return OW_DATE_NONE;
    const char *base = strrchr (file_name, '/');
    base = base ? base + 1 : file_name;
    char iso [11];
    if (strlen (base) < 10)
        return OW_DATE_NONE;
    memcpy (iso, base, 10);
    iso [10] = '\0';
    if (base [10] && isdigit ((unsigned char) base [10]))
        return OW_DATE_NONE;
    return ow_date_from_iso (iso);
}

static void
settle_publication (ex_doc_t *doc, const extract_input_t *input)
{
    Ofwatch__V1__Extraction *out = doc->out;
    if (*out->published_on)
        return;
    int date = ow_date_from_iso (input->declared_published);
    if (date != OW_DATE_NONE) {
        ex_set_date (&out->published_on, date);
        return;
    }
    date = date_from_file_name (input->file_name);
    if (date != OW_DATE_NONE)
        ex_set_date (&out->published_on, date);
    else
    if (doc->out->doc_kind == OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT)
        ex_doc_warn (doc, "no publication date: not printed, not declared, not in the file name");
}

//  A full inspection's report sets the written statement of action's
//  deadline; council papers set it themselves from the publication date
//  they report.
static void
set_deadlines (ex_doc_t *doc)
{
    Ofwatch__V1__Extraction *out = doc->out;
    if (out->doc_kind != OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT)
        return;
    bool full = false;
    for (size_t i = 0; i < out->n_events; i++)
        full |= ow_kind_is_full_inspection (out->events [i]->kind);
    if (full)
        ex_doc_add_action_plan (doc, ow_date_from_iso (out->published_on));
}

static Ofwatch__V1__DocKind
doc_kind_for (ex_class_t class)
{
    switch (class) {
        case EX_CLASS_ILACS:
        case EX_CLASS_SIF:
        case EX_CLASS_SIF_REINSPECTION:
        case EX_CLASS_SLAC:                 return OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT;
        case EX_CLASS_LSCB_REVIEW:          return OFWATCH__V1__DOC_KIND__DOC_KIND_LSCB_REVIEW;
        case EX_CLASS_AREA_SEND:
        case EX_CLASS_AREA_SEND_MONITORING:
        case EX_CLASS_AREA_SEND_LETTER:
        case EX_CLASS_AREA_SEND_MONITORING_LETTER: return OFWATCH__V1__DOC_KIND__DOC_KIND_AREA_SEND_REPORT;
        case EX_CLASS_MONITORING_LETTER:
        case EX_CLASS_ACTION_PLANNING_LETTER: return OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER;
        case EX_CLASS_FOCUSED_VISIT_LETTER: return OFWATCH__V1__DOC_KIND__DOC_KIND_FOCUSED_VISIT_LETTER;
        case EX_CLASS_JTAI_LETTER:          return OFWATCH__V1__DOC_KIND__DOC_KIND_JTAI_LETTER;
        case EX_CLASS_COUNCIL_MINUTES:      return OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_MINUTES;
        case EX_CLASS_COUNCIL_REPORT:       return OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_REPORT;
        case EX_CLASS_NOT_FOUND_PAGE:
        case EX_CLASS_UNKNOWN:              return OFWATCH__V1__DOC_KIND__DOC_KIND_OTHER;
    }
    return OFWATCH__V1__DOC_KIND__DOC_KIND_OTHER;
}

#define NOT_ONE_OF_OURS "the file is not an Ofsted inspection document or a council paper about one"

//  Refuses what is neither Ofsted's nor a council's paper about Ofsted's
//  work (a README, a recipe, a paper on bin collections), and says in a
//  warning when the kind was not clear. False when refused.
static bool
accept_kind (ex_doc_t *doc, const ex_verdict_t *verdict)
{
    if (!doc->tables->anatomy) {
        ex_doc_fail (doc, "the kind of document cannot be told: %s",
                     doc->tables->error ? doc->tables->error : "no anatomy table is loaded");
        return false;
    }
    if (verdict->form == EX_FORM_NONE || verdict->score [verdict->form] < EX_CLASSIFY_ENOUGH) {
        ex_doc_fail (doc, NOT_ONE_OF_OURS ": it has no Ofsted letterhead or subject line, "
                          "no report title block and no meeting furniture");
        return false;
    }
    if (verdict->form == EX_FORM_COUNCIL && !verdict->about_ofsted) {
        ex_doc_fail (doc, NOT_ONE_OF_OURS ": it is a council paper that speaks of no "
                          "Ofsted inspection or visit");
        return false;
    }
    if (!verdict->decided)
        ex_doc_warn (doc, "the kind of document is not clear (evidence of a letter %d, a "
                          "report %d, a council paper %d); read as a %s",
                     verdict->score [EX_FORM_LETTER], verdict->score [EX_FORM_REPORT],
                     verdict->score [EX_FORM_COUNCIL], ex_form_name (verdict->form));
    return true;
}

//  Runs the parser for the document's kind.
static bool
parse (ex_doc_t *doc, ex_media_t media)
{
    if (media == EX_MEDIA_JSON || media == EX_MEDIA_CSV) {
        doc->out->doc_kind = OFWATCH__V1__DOC_KIND__DOC_KIND_RECORDS;
        return media == EX_MEDIA_JSON ? ex_records_json (doc) : ex_records_csv (doc);
    }
    ex_verdict_t verdict;
    ex_class_t class = ex_classify (doc->tables->anatomy, doc->text, doc->length, &verdict);
    doc->verdict = &verdict;
    doc->out->doc_kind = doc_kind_for (class);
    bool parsed = false;
    if (class == EX_CLASS_NOT_FOUND_PAGE)
        ex_doc_fail (doc, "the file is Ofsted's \"Report not found\" web page, not a report");
    else
    if (accept_kind (doc, &verdict))
    switch (class) {
        case EX_CLASS_NOT_FOUND_PAGE:   break;
        case EX_CLASS_ILACS:            parsed = ex_report_parse (doc, EX_ERA_ILACS); break;
        case EX_CLASS_SIF:              parsed = ex_report_parse (doc, EX_ERA_SIF); break;
        case EX_CLASS_SIF_REINSPECTION: parsed = ex_report_parse (doc, EX_ERA_SIF_REINSPECTION); break;
        case EX_CLASS_SLAC:             parsed = ex_report_parse (doc, EX_ERA_SLAC); break;
        case EX_CLASS_LSCB_REVIEW:      parsed = ex_report_parse (doc, EX_ERA_LSCB); break;
        case EX_CLASS_AREA_SEND:
            parsed = ex_send_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND);
            break;
        case EX_CLASS_AREA_SEND_MONITORING:
            parsed = ex_send_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING);
            break;
        case EX_CLASS_MONITORING_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT);
            break;
        case EX_CLASS_FOCUSED_VISIT_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT);
            break;
        case EX_CLASS_JTAI_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_JTAI);
            break;
        case EX_CLASS_ACTION_PLANNING_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ACTION_PLANNING_VISIT);
            break;
        //  Letters of the area SEND framework of 2016 and its revisits.
        case EX_CLASS_AREA_SEND_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND);
            break;
        case EX_CLASS_AREA_SEND_MONITORING_LETTER:
            parsed = ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING);
            break;
        case EX_CLASS_COUNCIL_MINUTES:
        case EX_CLASS_COUNCIL_REPORT:
        case EX_CLASS_UNKNOWN:
            parsed = ex_council_parse (doc);
            break;
    }
    doc->verdict = NULL;
    return parsed;
}

static bool
check_input (const extract_input_t *input, char **error)
{
    if (!input || (!input->bytes && input->size)) {
        *error = ow_strdup ("no document was given");
        return false;
    }
    if (input->size == 0) {
        *error = ow_strdup ("the file is empty");
        return false;
    }
    if (input->size > EXTRACT_MAX_DOCUMENT) {
        *error = ow_printf ("the file is %zu bytes, over the limit of %u MiB",
                            input->size, EXTRACT_MAX_DOCUMENT / (1024 * 1024));
        return false;
    }
    return true;
}

char *
extract_decode (const extract_input_t *input, const char **media_type,
                size_t *length, char **error)
{
    if (!check_input (input, error))
        return NULL;
    ex_media_t media = ex_sniff (input->bytes, input->size, input->file_name);
    *media_type = ex_media_type (media);
    return ex_decode (media, input->bytes, input->size, length, error);
}

static ex_media_t
media_from_type (const char *media_type)
{
    static const ex_media_t all [] = {
        EX_MEDIA_PDF, EX_MEDIA_HTML, EX_MEDIA_JSON, EX_MEDIA_CSV, EX_MEDIA_MARKDOWN, EX_MEDIA_TEXT
    };
    for (size_t i = 0; i < sizeof all / sizeof all [0]; i++)
        if (media_type && strcmp (media_type, ex_media_type (all [i])) == 0)
            return all [i];
    return EX_MEDIA_TEXT;
}

Ofwatch__V1__Extraction *
extract_text (const ow_register_t *reg, const extract_input_t *input,
              const char *media_type, const char *text, size_t length, char **error)
{
    ex_media_t media = media_from_type (media_type);
    Ofwatch__V1__Extraction *out = OW_PB_NEW (Ofwatch__V1__Extraction, ofwatch__v1__extraction__init);
    ow_pb_set_string (&out->file, input->file_name);
    out->sha256 = sha256_hex (input->bytes, input->size);
    ow_pb_set_string (&out->media_type, ex_media_type (media));
    ex_doc_t doc = {
        .text = text, .length = length, .file_name = input->file_name,
        .declared_authority = input->declared_authority,
        .every_list_item = input->every_list_item,
        .reg = reg, .tables = ex_tables (), .out = out, .error = NULL
    };
    if (doc.tables->error)
        ex_doc_warn (&doc, "%s", doc.tables->error);
    if (!reg)
        ex_doc_fail (&doc, "no authority register is loaded");
    else
    if (parse (&doc, media) && !doc.error) {
        settle_publication (&doc, input);
        set_deadlines (&doc);
        if (media != EX_MEDIA_JSON && media != EX_MEDIA_CSV)
            ex_interventions_find (&doc);
    }
    free (doc.items);
    if (doc.error) {
        *error = doc.error;
        ow_pb_free (&out);
    }
    return out;
}

Ofwatch__V1__Extraction *
extract_document (const ow_register_t *reg, const extract_input_t *input,
                  char **text, char **error)
{
    char *unused_error = NULL;
    if (!error)
        error = &unused_error;
    *error = NULL;
    if (text)
        *text = NULL;
    const char *media_type = NULL;
    size_t length = 0;
    char *decoded = extract_decode (input, &media_type, &length, error);
    Ofwatch__V1__Extraction *out = decoded
        ? extract_text (reg, input, media_type, decoded, length, error) : NULL;
    if (out && text)
        *text = decoded;
    else
        free (decoded);
    free (unused_error);
    return out;
}
