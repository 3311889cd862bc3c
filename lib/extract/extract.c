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
#include "ex_letter.h"
#include "ex_records.h"
#include "ex_report.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define ACTION_PLAN_WORKING_DAYS 70

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

//  The written statement of action is due 70 working days after a full
//  inspection's report is published (Education and Inspections Act 2006,
//  section 137 and its regulations), bank holidays excluded.
static void
set_deadlines (ex_doc_t *doc)
{
    Ofwatch__V1__Extraction *out = doc->out;
    if (out->doc_kind != OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT)
        return;
    int published = ow_date_from_iso (out->published_on);
    bool full = false;
    for (size_t i = 0; i < out->n_events; i++)
        full |= ow_kind_is_full_inspection (out->events [i]->kind);
    if (!full || published == OW_DATE_NONE)
        return;
    const ow_holidays_t *holidays = doc->tables->holidays;
    int year, month, day;
    ow_date_to_ymd (published, &year, &month, &day);
    if (!holidays || year < ow_holidays_first_year (holidays)
    ||  year >= ow_holidays_last_year (holidays))
        ex_doc_warn (doc, "bank holidays of %d are not known; the action plan date "
                          "counts weekends only", year);
    Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline, ofwatch__v1__deadline__init);
    ow_pb_set_string (&deadline->kind, "action_plan");
    ex_set_date (&deadline->due, ow_date_add_working_days (holidays, published,
                                                           ACTION_PLAN_WORKING_DAYS));
    ow_pb_set_string (&deadline->basis, "70 working days after publication");
    ow_pb_append ((void ***) &out->deadlines, &out->n_deadlines, deadline);
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

//  Runs the parser for the document's kind.
static bool
parse (ex_doc_t *doc, ex_media_t media)
{
    if (media == EX_MEDIA_JSON || media == EX_MEDIA_CSV) {
        doc->out->doc_kind = OFWATCH__V1__DOC_KIND__DOC_KIND_RECORDS;
        return media == EX_MEDIA_JSON ? ex_records_json (doc) : ex_records_csv (doc);
    }
    ex_class_t class = ex_classify (doc->text, doc->length);
    doc->out->doc_kind = doc_kind_for (class);
    switch (class) {
        case EX_CLASS_NOT_FOUND_PAGE:
            ex_doc_fail (doc, "the file is Ofsted's \"Report not found\" web page, not a report");
            return false;
        case EX_CLASS_ILACS:            return ex_report_parse (doc, EX_ERA_ILACS);
        case EX_CLASS_SIF:              return ex_report_parse (doc, EX_ERA_SIF);
        case EX_CLASS_SIF_REINSPECTION: return ex_report_parse (doc, EX_ERA_SIF_REINSPECTION);
        case EX_CLASS_SLAC:             return ex_report_parse (doc, EX_ERA_SLAC);
        case EX_CLASS_LSCB_REVIEW:      return ex_report_parse (doc, EX_ERA_LSCB);
        case EX_CLASS_MONITORING_LETTER:
            return ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT);
        case EX_CLASS_FOCUSED_VISIT_LETTER:
            return ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT);
        case EX_CLASS_JTAI_LETTER:
            return ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_JTAI);
        case EX_CLASS_ACTION_PLANNING_LETTER:
            return ex_letter_parse (doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ACTION_PLANNING_VISIT);
        case EX_CLASS_COUNCIL_MINUTES:
        case EX_CLASS_COUNCIL_REPORT:
        case EX_CLASS_UNKNOWN:
            return ex_council_parse (doc);
    }
    return false;
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
    if (!check_input (input, error))
        return NULL;
    ex_media_t media = ex_sniff (input->bytes, input->size, input->file_name);
    size_t length = 0;
    char *decoded = ex_decode (media, input->bytes, input->size, &length, error);
    if (!decoded)
        return NULL;

    Ofwatch__V1__Extraction *out = OW_PB_NEW (Ofwatch__V1__Extraction, ofwatch__v1__extraction__init);
    ow_pb_set_string (&out->file, input->file_name);
    out->sha256 = sha256_hex (input->bytes, input->size);
    ow_pb_set_string (&out->media_type, ex_media_type (media));
    ex_doc_t doc = {
        .text = decoded, .length = length, .file_name = input->file_name,
        .declared_authority = input->declared_authority,
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
    }
    if (doc.error) {
        *error = doc.error;
        ow_pb_free (&out);
        free (decoded);
        return NULL;
    }
    if (text)
        *text = decoded;
    else
        free (decoded);
    free (unused_error);
    return out;
}
