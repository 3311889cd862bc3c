/*  test_findings — how statements are cut from text, what headings say,
    the labelled set's format, the classifier's files, and the findings a
    letter and a council paper give.

    The statement cases are small texts written to the shapes real
    documents take (PDF text with running headers in mid-sentence, bullets
    alone on their line, a footnote inside a sentence, council papers with
    titled list items); the extraction cases use the bundled samples.
*/

#include "test_extract_support.h"

#include "ex_classifier.h"
#include "ex_findings.h"
#include "ex_headings.h"
#include "ex_labels.h"
#include "ex_statements.h"
#include "ex_tables.h"

#include <ctype.h>
#include <unistd.h>

//  The statements of a text, with the data directory's headings.
static ex_statements_t *
statements_of (const char *text)
{
    return ex_statements_read (text, strlen (text), 0, strlen (text), ex_tables ()->headings);
}

//  The statement whose text starts with `prefix`, or NULL.
static const ex_statement_t *
statement_starting (const ex_statements_t *statements, const char *prefix)
{
    for (size_t i = 0; i < statements->count; i++)
        if (strncmp (statements->items [i].text, prefix, strlen (prefix)) == 0)
            return &statements->items [i];
    return NULL;
}

static bool
any_statement_contains (const ex_statements_t *statements, const char *needle)
{
    for (size_t i = 0; i < statements->count; i++)
        if (strstr (statements->items [i].text, needle))
            return true;
    return false;
}

//  ---------------------------------------------------------------------
//  Statements

static void
test_running_header_inside_a_sentence_is_left_out (void **state)
{
    (void) state;
    //  As poppler gives a report: the page's running header and date land
    //  between "The service ensures" and the rest of the sentence.
    const char *text =
        "Inspection of Norfolk local authority children's services\n"
        "7 to 18 November 2022\n"
        "When concerns are raised about professionals, the local authority designated\n"
        "officer services provide a timely and effective response. The service ensures\n"
        "Inspection of Norfolk local authority children's services\n"
        "7 to 18 November 2022\n"
        "that allegations are tracked, triaged and reviewed effectively. Prompt multi-\n"
        "agency action is taken to reduce the risk to children.\n"
        "Inspection of Norfolk local authority children's services\n"
        "7 to 18 November 2022\n";
    ex_statements_t *s = statements_of (text);
    const ex_statement_t *joined = statement_starting (s, "The service ensures");
    assert_non_null (joined);
    assert_string_equal (joined->text,
        "The service ensures that allegations are tracked, triaged and reviewed effectively.");
    //  The span covers the whole sentence in the text, header and all.
    assert_true (joined->span.end - joined->span.start > strlen (joined->text));
    assert_non_null (statement_starting (s, "Prompt multi-agency action is taken"));
    assert_false (any_statement_contains (s, "Inspection of Norfolk"));
    ex_statements_destroy (&s);
}

static void
test_sentences_referring_back_join_the_one_before (void **state)
{
    (void) state;
    const char *text =
        "Main findings\n"
        "Most assessments are detailed and reflect children's needs. They include an\n"
        "exploration of the current risk. This means risks are well understood. It is\n"
        "positive that auditors consult.\n"
        "Supervision is held regularly.\n"
        "They feel well supported by managers.\n";
    ex_statements_t *s = statements_of (text);
    const ex_statement_t *first = statement_starting (s, "Most assessments");
    assert_non_null (first);
    assert_int_equal (first->sentences, 3);
    assert_string_equal (first->text,
        "Most assessments are detailed and reflect children's needs. They include an "
        "exploration of the current risk. This means risks are well understood.");
    //  An "it" that points forward stands alone.
    assert_non_null (statement_starting (s, "It is positive that auditors consult."));
    //  A paragraph that opens with "They" has nothing to refer to (the
    //  last line is short, so the paragraph before ended), so it is left
    //  out rather than guessed.
    assert_non_null (statement_starting (s, "Supervision is held regularly."));
    assert_false (any_statement_contains (s, "They feel well supported"));
    assert_int_equal (first->heading, EX_CONTEXT_FINDINGS);
    ex_statements_destroy (&s);
}

static void
test_fragments_and_lead_ins_are_not_statements (void **state)
{
    (void) state;
    //  A paragraph cut by a blank line (a page break in a council paper)
    //  is joined again; a list's lead-in and items that run on are not
    //  whole statements.
    const char *text =
        "15 The council and its partners have made good use of external challenge, and the\n"
        "board has commissioned a peer challenge for the\n"
        "\n"
        "autumn to provide further input to strengthen practice.\n"
        "\n"
        "The council aims to:\n"
        "- a. Ensure all children are healthy, safe, and inspired to achieve;\n"
        "- b. Ensure that children in care are well supported and make good life choices.\n";
    ex_statements_t *s = statements_of (text);
    assert_non_null (statement_starting (s, "The council and its partners have made good use"));
    assert_true (any_statement_contains (s, "peer challenge for the autumn to provide"));
    assert_null (statement_starting (s, "autumn"));
    assert_null (statement_starting (s, "The council aims to"));
    assert_false (any_statement_contains (s, "inspired to achieve"));
    assert_non_null (statement_starting (s, "Ensure that children in care are well supported"));
    ex_statements_destroy (&s);
}

static void
test_bullets_numbers_and_titled_items (void **state)
{
    (void) state;
    const char *text =
        "What needs to improve in this area of social work practice\n"
        "\xE2\x97\xBC\n"
        "Case recording, to capture significant events and to help young people understand\n"
        "their journeys.\n"
        "Findings\n"
        "1.When children require additional help, they benefit from support provided\n"
        "through early help.\n"
        "There are however areas that require improvement. These include:\n"
        "\xE2\x80\xA2 Supervision  \n"
        "This is now occurring in nearly all cases however there is a need to move beyond a\n"
        "tick box approach.\n"
        "\xE2\x80\xA2 Recording  \n"
        "Most case records are up to date however several cases need to improve quality\n";
    ex_statements_t *s = statements_of (text);
    const ex_statement_t *item = statement_starting (s, "Case recording");
    assert_non_null (item);
    assert_true (item->item);
    assert_int_equal (item->heading, EX_CONTEXT_IMPROVE);
    const ex_statement_t *numbered = statement_starting (s, "When children require");
    assert_non_null (numbered);
    assert_false (numbered->item);
    assert_int_equal (numbered->heading, EX_CONTEXT_FINDINGS);
    //  A titled item whose sentence leans on its title gets the title in
    //  front; the list's lead-in gives the items their side.
    const ex_statement_t *titled = statement_starting (s, "Supervision: This is now occurring");
    assert_non_null (titled);
    assert_true (titled->titled);
    assert_int_equal (titled->lead_in, EX_CONTEXT_IMPROVE);
    const ex_statement_t *unended = statement_starting (s, "Recording: Most case records");
    assert_non_null (unended);
    assert_false (unended->terminated);
    ex_statements_destroy (&s);
}

static void
test_footnote_inside_a_sentence_is_left_out (void **state)
{
    (void) state;
    const char *text =
        "Findings\n"
        "The use of alternatively qualified practitioners is a notable strength. This, alongside\n"
        "a strong approach to learning, from social work apprenticeships through to\n"
        "The areas for improvement have been cross-referenced with the national framework.\n"
        "leadership development, reflects an organisation that values its workforce.\n";
    ex_statements_t *s = statements_of (text);
    assert_true (any_statement_contains (s,
        "from social work apprenticeships through to leadership development, reflects"));
    assert_false (any_statement_contains (s, "cross-referenced"));
    ex_statements_destroy (&s);
}

static void
test_quotations_and_abbreviations_do_not_cut_sentences (void **state)
{
    (void) state;
    const char *text =
        "Findings\n"
        "Inspectors concluded that responses through the MASH 'have been improved, meaning\n"
        "that most needs are now promptly identified.' Leaders, e.g. the DCS, are visible.\n"
        "One worker said, \xE2\x80\x98It is a privilege. It is great.\xE2\x80\x99 Staff are very positive.\n";
    ex_statements_t *s = statements_of (text);
    assert_non_null (statement_starting (s, "Inspectors concluded that responses"));
    assert_non_null (statement_starting (s, "Leaders, e.g. the DCS, are visible."));
    const ex_statement_t *quoted = statement_starting (s, "One worker said");
    assert_non_null (quoted);
    assert_non_null (strstr (quoted->text, "It is great."));
    assert_non_null (statement_starting (s, "Staff are very positive."));
    ex_statements_destroy (&s);
}

static void
test_refers_back (void **state)
{
    (void) state;
    const char *back [] = {
        "They consider the needs of the family.", "This means risks are understood.",
        "However, they do not always record it.", "These plans are reviewed.",
        "It has continued to provide services.",
        "For some children, this means that no further action is taken.",
        "For most children, these visits are purposeful.",
        //  A quantifier standing for a noun said before.
        "Many are too broad.", "Some of them do not reflect the child's views.",
        "However, most do not include a contingency plan.", "A number are well written.", NULL
    };
    const char *alone [] = {
        "It is positive that auditors consult with parents.", "It was confirmed that plans exist.",
        "There are no areas of priority action.", "Thresholds are poorly understood.",
        "It is too early to assess the impact of the changes.",
        "When strategy meetings take place, they are mostly timely.",
        "While there is an extensive training offer, this is ineffective.",
        "For a small number of children, their plans are too complex.",
        "Leaders, managers and staff share an ambition for children.",
        "Most children are seen alone.", "Many care leavers are in education.",
        "Some managers hold cases for too long.", "All children have an allocated social worker.",
        NULL
    };
    for (size_t i = 0; back [i]; i++)
        assert_true (ex_statement_refers_back (back [i], strlen (back [i])));
    for (size_t i = 0; alone [i]; i++)
        assert_false (ex_statement_refers_back (alone [i], strlen (alone [i])));
}

//  ---------------------------------------------------------------------
//  Headings

static void
test_heading_contexts (void **state)
{
    (void) state;
    const ex_headings_t *h = ex_tables ()->headings;
    assert_non_null (h);
    struct { const char *text; ex_context_t context; } cases [] = {
        { "What needs to improve in this area of social work practice?", EX_CONTEXT_IMPROVE },
        { "Areas for priority action", EX_CONTEXT_PRIORITY },
        { "Main findings", EX_CONTEXT_FINDINGS },
        { "7.2 Legal Implications", EX_CONTEXT_PROCEDURE },
        { "Recommendation(s)", EX_CONTEXT_PROCEDURE },
        { "4. Background /Reasons for the recommendations", EX_CONTEXT_NONE },
        { "Multi-Agency Safeguarding Hub (MASH)", EX_CONTEXT_NONE },
        { NULL, 0 }
    };
    for (size_t i = 0; cases [i].text; i++)
        assert_int_equal (ex_headings_context (h, cases [i].text, strlen (cases [i].text)),
                          cases [i].context);
    //  In a sentence that opens a list, "recommendations" are Ofsted's.
    const char *lead_in = "there are a number of strategic recommendations, including:";
    assert_int_equal (ex_headings_lead_in (h, lead_in, strlen (lead_in)), EX_CONTEXT_IMPROVE);
    const char *strengths = "Ofsted identified a number of strengths including the following:";
    assert_int_equal (ex_headings_lead_in (h, strengths, strlen (strengths)), EX_CONTEXT_STRENGTHS);
    //  What a monitoring visit reviewed is what it looked at, not what it
    //  found, though the list names "areas of concern".
    const char *reviewed = "Inspectors reviewed the progress made in the following areas of "
                           "concern identified at the last inspection:";
    assert_int_equal (ex_headings_lead_in (h, reviewed, strlen (reviewed)), EX_CONTEXT_PROCEDURE);
    //  Only the stock phrase of what a visit reviewed: a lead-in that
    //  says what the inspectors found keeps its side.
    const char *found = "Inspectors reviewed children's records and found the following strengths:";
    assert_int_equal (ex_headings_lead_in (h, found, strlen (found)), EX_CONTEXT_STRENGTHS);
    const char *concerns = "The inspection identified the following areas of concern:";
    assert_int_equal (ex_headings_lead_in (h, concerns, strlen (concerns)), EX_CONTEXT_WEAKNESSES);
    assert_string_equal (ex_context_word (EX_CONTEXT_PROCEDURE), "procedure");
}

static void
test_headings_file_errors_name_the_line (void **state)
{
    (void) state;
    char dir [] = "/tmp/test_findings_XXXXXX";
    assert_non_null (mkdtemp (dir));
    char *path = ow_printf ("%s/headings.csv", dir);
    FILE *file = fopen (path, "w");
    fputs ("phrase,context\nstrengths,strengths\nbackground,sideways\n", file);
    fclose (file);
    char *error = NULL;
    assert_null (ex_headings_load (dir, "headings.csv", &error));
    assert_non_null (strstr (error, "line 3"));
    assert_non_null (strstr (error, "sideways"));
    free (error);
    unlink (path);
    rmdir (dir);
    free (path);
}

//  ---------------------------------------------------------------------
//  The labelled set's format

static void
test_labels_parse_and_match_plain_text (void **state)
{
    (void) state;
    char path [] = "/tmp/test_labels_XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    const char *content =
        "# document\tlabel\ttheme\ttext\n"
        "a.pdf\tweakness\tworkforce\tStaff turnover is high \xE2\x80\x93 too high.\n"
        "a.pdf\tnot_a_finding\t\tThe inspectors were Ann and Bob.\n"
        "b.pdf\tstrength\tcare_leavers\tCare leavers\xE2\x80\x99 pathway plans are clear.\n";
    assert_int_equal (write (fd, content, strlen (content)), (ssize_t) strlen (content));
    close (fd);
    char *error = NULL;
    ex_labels_t *labels = ex_labels_load (path, &error);
    assert_non_null (labels);
    assert_int_equal (ex_labels_count (labels), 3);
    assert_int_equal (ex_labels_documents (labels), 2);
    assert_string_equal (ex_labels_document (labels, 1), "b.pdf");
    const ex_label_t *label = ex_labels_find (labels, "a.pdf", "Staff  turnover is high - too high.");
    assert_non_null (label);
    assert_int_equal (label->polarity, OFWATCH__V1__POLARITY__POLARITY_WEAKNESS);
    assert_int_equal (label->theme, OFWATCH__V1__THEME__THEME_WORKFORCE);
    assert_non_null (ex_labels_find (labels, "b.pdf", "Care leavers' pathway plans are clear."));
    assert_null (ex_labels_find (labels, "a.pdf", "Care leavers' pathway plans are clear."));
    assert_int_equal (ex_labels_find (labels, "a.pdf", "The inspectors were Ann and Bob.")->polarity, 0);
    ex_labels_destroy (&labels);
    unlink (path);
}

static void
test_labels_refuse_bad_lines (void **state)
{
    (void) state;
    const char *bad [] = {
        "a.pdf\tweakness\t\tA finding without a theme.\n",
        "a.pdf\tnot_a_finding\tworkforce\tA theme without a finding.\n",
        "a.pdf\tglowing\tworkforce\tNo such label.\n",
        "a.pdf\tstrength\tworkforce\n",
        "a.pdf\tstrength\tcheerfulness\tNo such theme.\n",
        NULL
    };
    for (size_t i = 0; bad [i]; i++) {
        char path [] = "/tmp/test_labels_XXXXXX";
        int fd = mkstemp (path);
        assert_int_equal (write (fd, bad [i], strlen (bad [i])), (ssize_t) strlen (bad [i]));
        close (fd);
        char *error = NULL;
        assert_null (ex_labels_load (path, &error));
        assert_non_null (strstr (error, "line 1"));
        free (error);
        unlink (path);
    }
}

//  ---------------------------------------------------------------------
//  Features and the classifier

static void
test_vocabulary_and_vectors (void **state)
{
    (void) state;
    const ex_tables_t *tables = ex_tables ();
    ex_features_t *features = ex_features_new (tables->polarity, tables->themes);
    ex_vocabulary_t *vocabulary = ex_vocabulary_new ();
    const char *text = "Management oversight of plans is weak, and plans drift.";
    ex_feature_input_t input = { text, strlen (text), EX_CONTEXT_FINDINGS, EX_CONTEXT_NONE,
                                 1, false, true, false, false, NULL };
    const struct feature_node *x = ex_features_vector (features, &input, vocabulary, true, 1);
    double norm = 0;
    int last = 0;
    size_t n = 0;
    for (; x [n].index != -1; n++) {
        assert_true (x [n].index > last);       //  sorted, one entry a column
        last = x [n].index;
        if (x [n].index <= (int) ex_vocabulary_size (vocabulary))
            norm += x [n].value * x [n].value;
    }
    assert_true (n > 10);
    assert_true (norm > 0.999 && norm < 1.001);
    //  The bias column comes last, past the vocabulary.
    assert_int_equal (x [n - 1].index, (int) ex_vocabulary_size (vocabulary) + 1);
    assert_true (ex_vocabulary_find (vocabulary, "w=oversight") > 0);
    assert_true (ex_vocabulary_find (vocabulary, "s=oversight") > 0);      //  the subject
    assert_true (ex_vocabulary_find (vocabulary, "r=weakness") > 0);
    assert_true (ex_vocabulary_find (vocabulary, "o=management_oversight") > 0);
    assert_int_equal (ex_vocabulary_find (vocabulary, "w=nothing"), 0);
    //  A vocabulary written and read back keeps its columns.
    char path [] = "/tmp/test_vocabulary_XXXXXX";
    close (mkstemp (path));
    char *error = NULL;
    assert_true (ex_vocabulary_save (vocabulary, path, &error));
    ex_vocabulary_t *loaded = ex_vocabulary_load (path, &error);
    assert_non_null (loaded);
    assert_int_equal (ex_vocabulary_size (loaded), ex_vocabulary_size (vocabulary));
    assert_int_equal (ex_vocabulary_find (loaded, "w=oversight"),
                      ex_vocabulary_find (vocabulary, "w=oversight"));
    unlink (path);
    ex_vocabulary_destroy (&loaded);
    ex_vocabulary_destroy (&vocabulary);
    ex_features_destroy (&features);
}

//  Whether the features of a statement under a findings heading include
//  the named one.
static bool
has_feature (const char *text, const char *name)
{
    const ex_tables_t *tables = ex_tables ();
    ex_features_t *features = ex_features_new (tables->polarity, tables->themes);
    ex_vocabulary_t *vocabulary = ex_vocabulary_new ();
    ex_feature_input_t input = { text, strlen (text), EX_CONTEXT_FINDINGS, EX_CONTEXT_NONE,
                                 1, false, true, false, false, NULL };
    ex_features_vector (features, &input, vocabulary, true, 1);
    bool found = ex_vocabulary_find (vocabulary, name) > 0;
    ex_vocabulary_destroy (&vocabulary);
    ex_features_destroy (&features);
    return found;
}

static void
test_markers_of_what_a_statement_does (void **state)
{
    (void) state;
    //  Plans and intentions, as words, not inside words ("goodwill").
    assert_true (has_feature ("Additional social workers have been recruited and are due to begin "
                              "in October 2018.", "x=plan"));
    assert_true (has_feature ("The local authority is in the process of finalising its improvement "
                              "plan.", "x=plan"));
    assert_false (has_feature ("Social workers are well supported by their managers.", "x=plan"));
    assert_false (has_feature ("Staff goodwill is evident in every team.", "x=plan"));
    //  What a few people told the inspectors.
    const char *told = "A small number of older care leavers expressed some concerns to inspectors "
                       "regarding where they were living.";
    assert_true (has_feature (told, "x=reported"));
    assert_true (has_feature (told, "x=few"));
    assert_false (has_feature ("Care leavers are well supported.", "x=reported"));
    //  Background.
    assert_true (has_feature ("There have been several changes of interim director since the last "
                              "inspection.", "x=context"));
    assert_false (has_feature ("Assessments are thorough.", "x=context"));
    //  A shortfall the lexicon of single words misses, which the
    //  lexicon's phrases now weigh too.
    const char *sooner = "For most children who come into care, decisions should be taken sooner.";
    assert_true (has_feature (sooner, "x=shortfall"));
    assert_true (has_feature (sooner, "r=weakness"));
    assert_true (has_feature ("Not enough children are successful in securing apprenticeships.",
                              "r=weakness"));
    //  A negation governing "enough" in its clause is a shortfall; one
    //  in another clause is not.
    assert_true (has_feature ("Return home interviews do not take place swiftly enough.",
                              "x=shortfall"));
    assert_false (has_feature ("Visits are not missed, and there are enough workers.",
                               "x=shortfall"));
    //  A harm denied is good news, though "not" weighs as a weakness.
    assert_true (has_feature ("School attendance has not been adversely affected by the pandemic.",
                              "r=strength"));
    assert_true (has_feature ("Decisions are made without sufficient consideration of needs.",
                              "r=weakness"));
}

static void
test_a_fall_of_something_bad_is_good_news (void **state)
{
    (void) state;
    //  The lexicon alone reads "turnover" as a weakness.
    assert_true (has_feature ("Staff turnover has risen.", "r=weakness"));
    assert_false (has_feature ("Staff turnover has risen.", "x=decline_bad"));
    assert_true (has_feature ("Staff turnover has fallen.", "x=decline_bad"));
    assert_true (has_feature ("Staff turnover has fallen.", "r=strength"));
    assert_true (has_feature ("There are fewer delays in court proceedings.", "x=decline_bad"));
    //  A fall of something good is not.
    assert_false (has_feature ("Families have reduced access to support.", "x=decline_bad"));
    //  The fall and what is bad must share a clause.
    assert_false (has_feature ("Delays persist, and the number of visits has fallen.",
                               "x=decline_bad"));
    //  In a mixed statement the main clause still decides.
    assert_true (has_feature ("Caseloads have reduced, but they remain too high.", "r=weakness"));
}

static void
test_mixed_statement_side_has_its_own_column (void **state)
{
    (void) state;
    const char *mixed = "Return home interviews are offered promptly, although these are not "
                        "consistently recorded.";
    assert_true (has_feature (mixed, "rm=strength"));
    assert_true (has_feature (mixed, "r=strength"));
    assert_true (has_feature ("Plans are detailed, but some lack timescales.", "rm=weakness"));
    assert_false (has_feature ("Return home interviews are offered promptly.", "rm=strength"));
}

static void
test_but_inside_the_subject_is_no_turn (void **state)
{
    (void) state;
    //  The "but" clause only qualifies the subject, which the main verb
    //  follows: the statement is not mixed, and its verb phrase decides.
    const char *qualified = "Planning for children for whom an adoption decision has been made, "
                            "but where potential adopters have not yet been identified, is both "
                            "timely and effective.";
    assert_false (has_feature (qualified, "rm=weakness"));
    assert_false (has_feature (qualified, "rm=strength"));
    //  A "but" that turns the statement still does.
    assert_true (has_feature ("Plans are detailed and timely, but some plans are not reviewed, "
                              "and drift is not identified.", "rm=weakness"));
}

static void
test_committed_classifier_loads_and_judges (void **state)
{
    (void) state;
    const ex_tables_t *tables = ex_tables ();
    if (tables->error)
        fail_msg ("the data tables did not load: %s", tables->error);
    assert_non_null (tables->classifier);
    ex_features_t *features = ex_features_new (tables->polarity, tables->themes);
    struct {
        const char *text;
        bool finding;
        Ofwatch__V1__Polarity polarity;
        Ofwatch__V1__Theme theme;
    } cases [] = {
        { "Management oversight of frontline practice is weak.", true,
          OFWATCH__V1__POLARITY__POLARITY_WEAKNESS, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT },
        { "Care leavers benefit from strong relationships with their personal advisers.", true,
          OFWATCH__V1__POLARITY__POLARITY_STRENGTH, OFWATCH__V1__THEME__THEME_CARE_LEAVERS },
        //  Clearly positive, whatever "English is not" suggests word by
        //  word (a monitoring letter's; its theme is not asked here).
        { "Interpreters are appropriately used with children and families, which helps facilitate "
          "discussion in visits and direct work where English is not the first language.", true,
          OFWATCH__V1__POLARITY__POLARITY_STRENGTH, 0 },
        { "Inspectors looked at the local authority's arrangements for children in need.", false, 0, 0 },
        { NULL, false, 0, 0 }
    };
    for (size_t i = 0; cases [i].text; i++) {
        ex_feature_input_t input = { cases [i].text, strlen (cases [i].text), EX_CONTEXT_FINDINGS,
                                     EX_CONTEXT_NONE, 1, false, true, false, false, NULL };
        const struct feature_node *x = ex_features_vector (features, &input,
            ex_classifier_vocabulary (tables->classifier), false, 1);
        ex_judgement_t judgement;
        ex_classifier_judge (tables->classifier, x, &judgement);
        assert_true (judgement.finding >= 0 && judgement.finding <= 1);
        if (!cases [i].finding) {
            assert_true (judgement.finding < 0.5);
            continue;
        }
        assert_true (judgement.finding > 0.5);
        assert_int_equal (judgement.polarity, cases [i].polarity);
        if (cases [i].theme)
            assert_int_equal (judgement.theme, cases [i].theme);
    }
    ex_features_destroy (&features);
}

static void
test_missing_classifier_files_are_named (void **state)
{
    (void) state;
    char *error = NULL;
    assert_null (ex_classifier_load ("/nonexistent/findings", &error));
    assert_non_null (strstr (error, "/nonexistent/findings/features.txt"));
    free (error);
    ex_classifier_settings_t settings;
    char path [] = "/tmp/test_settings_XXXXXX";
    int fd = mkstemp (path);
    const char *content = "setting,value\nfinding,lots\n";
    assert_int_equal (write (fd, content, strlen (content)), (ssize_t) strlen (content));
    close (fd);
    error = NULL;
    assert_false (ex_classifier_settings_load (path, &settings, &error));
    assert_non_null (strstr (error, "'lots' is not a number"));
    free (error);
    unlink (path);
}

//  ---------------------------------------------------------------------
//  Findings from documents

static const Ofwatch__V1__Finding *
finding_starting (const Ofwatch__V1__InspectionFacts *event, const char *prefix)
{
    for (size_t i = 0; i < event->n_findings; i++)
        if (strncmp (event->findings [i]->text, prefix, strlen (prefix)) == 0)
            return event->findings [i];
    return NULL;
}

static void
test_monitoring_letter_findings (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2024-12-04-monitoring-visit.txt");
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_findings_sound (e);
    //  Clearly positive, whatever "English is not" suggests word by word:
    //  never a weakness (it is left out when its theme is uncertain).
    const Ofwatch__V1__Finding *f = finding_starting (e, "Interpreters are appropriately used");
    assert_true (!f || f->polarity == OFWATCH__V1__POLARITY__POLARITY_STRENGTH);
    f = finding_starting (e, "Most supervision is regular");
    assert_non_null (f);
    assert_int_equal (f->polarity, OFWATCH__V1__POLARITY__POLARITY_STRENGTH);
    assert_int_equal (f->theme, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
    f = finding_starting (e, "Supervision does not effectively address drift");
    assert_non_null (f);
    assert_int_equal (f->polarity, OFWATCH__V1__POLARITY__POLARITY_WEAKNESS);
    assert_int_equal (f->theme, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
    //  Not findings: who came and when, and what cannot be read alone.
    assert_null (finding_starting (e, "This was the fifth monitoring visit"));
    assert_null (finding_starting (e, "It is not sufficiently clear why they"));
    assert_null (finding_starting (e, "I am copying this letter"));
    //  Every finding is a whole statement: it starts with a capital.
    for (size_t i = 0; i < e->n_findings; i++)
        assert_false (islower ((unsigned char) e->findings [i]->text [0]));
    ow_pb_free (&x);
}

static void
test_council_paper_findings (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x =
        extract_file ("samples/herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt");
    size_t findings = 0;
    for (size_t k = 0; k < x->n_events; k++) {
        const Ofwatch__V1__InspectionFacts *e = x->events [k];
        assert_findings_sound (e);
        findings += e->n_findings;
        //  What Ofsted does after an inadequate judgement, and the
        //  council's own plans, are no findings.
        assert_null (finding_starting (e, "When a local authority is found to be inadequate"));
        assert_null (finding_starting (e, "Work with a long-term improvement partner"));
        assert_null (finding_starting (e, "There are no equality issues"));
        const Ofwatch__V1__Finding *f = finding_starting (e, "Management oversight was considered");
        if (f) {
            assert_int_equal (f->polarity, OFWATCH__V1__POLARITY__POLARITY_WEAKNESS);
            assert_int_equal (f->theme, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
        }
    }
    assert_true (findings >= 3);
    ow_pb_free (&x);
}

static void
test_scrutiny_minutes_give_no_questions (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2022-scrutiny-minutes-ilacs.txt");
    for (size_t k = 0; k < x->n_events; k++)
        for (size_t i = 0; i < x->events [k]->n_findings; i++) {
            const char *text = x->events [k]->findings [i]->text;
            assert_null (strstr (text, "sought assurance"));
            assert_false (strncmp (text, "It was confirmed", 16) == 0);
            assert_false (strncmp (text, "It was explained", 16) == 0);
        }
    ow_pb_free (&x);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_running_header_inside_a_sentence_is_left_out),
        cmocka_unit_test (test_sentences_referring_back_join_the_one_before),
        cmocka_unit_test (test_fragments_and_lead_ins_are_not_statements),
        cmocka_unit_test (test_bullets_numbers_and_titled_items),
        cmocka_unit_test (test_footnote_inside_a_sentence_is_left_out),
        cmocka_unit_test (test_quotations_and_abbreviations_do_not_cut_sentences),
        cmocka_unit_test (test_refers_back),
        cmocka_unit_test (test_heading_contexts),
        cmocka_unit_test (test_headings_file_errors_name_the_line),
        cmocka_unit_test (test_labels_parse_and_match_plain_text),
        cmocka_unit_test (test_labels_refuse_bad_lines),
        cmocka_unit_test (test_vocabulary_and_vectors),
        cmocka_unit_test (test_markers_of_what_a_statement_does),
        cmocka_unit_test (test_a_fall_of_something_bad_is_good_news),
        cmocka_unit_test (test_mixed_statement_side_has_its_own_column),
        cmocka_unit_test (test_but_inside_the_subject_is_no_turn),
        cmocka_unit_test (test_committed_classifier_loads_and_judges),
        cmocka_unit_test (test_missing_classifier_files_are_named),
        cmocka_unit_test (test_monitoring_letter_findings),
        cmocka_unit_test (test_council_paper_findings),
        cmocka_unit_test (test_scrutiny_minutes_give_no_questions),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
