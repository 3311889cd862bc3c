/*  The shared library's behaviour: vocabulary words, JSON writing,
    protobuf as JSON, event topics and endpoint handling.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ow_config.h"
#include "ow_hash.h"
#include "ow_json.h"
#include "ow_pbjson.h"
#include "ow_vocab.h"
#include "ow_wire.h"

static void
test_vocabulary_words_follow_the_proto_names (void **state)
{
    assert_string_equal (ow_grade_word (OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT),
                         "requires_improvement");
    assert_string_equal (ow_doc_kind_word (OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT),
                         "inspection_report");
    assert_string_equal (ow_event_type_word (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED),
                         "judgement.changed");
    assert_string_equal (ow_event_type_word (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING),
                         "deadline.approaching");
    assert_string_equal (ow_theme_word (OFWATCH__V1__THEME__THEME_HOMELESS_16_17), "homeless_16_17");
    assert_string_equal (ow_kind_word (OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF_REINSPECTION),
                         "sif_reinspection");
    assert_null (ow_grade_word (OFWATCH__V1__GRADE__GRADE_UNSPECIFIED));
    assert_null (ow_grade_word (999));
    assert_int_equal (ow_vocab_value (&ofwatch__v1__theme__descriptor, "workforce"),
                      OFWATCH__V1__THEME__THEME_WORKFORCE);
    assert_int_equal (ow_vocab_value (&ofwatch__v1__event_type__descriptor, "status.changed"),
                      OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED);
    assert_int_equal (ow_vocab_value (&ofwatch__v1__grade__descriptor, "GOOD"), 0);
    assert_true (ow_vocab_is_area ("in_care_and_care_leavers"));
    assert_false (ow_vocab_is_area ("weather"));
    assert_true (ow_grade_rank (OFWATCH__V1__GRADE__GRADE_GOOD)
                 > ow_grade_rank (OFWATCH__V1__GRADE__GRADE_INADEQUATE));
}

static void
test_json_writes_compact_in_order_with_nulls_and_utf8 (void **state)
{
    json_t *object = json_object ();
    ow_json_set_string (object, "a", "x\"y\\z\n\x01");
    json_t *list = json_array ();
    json_array_append_new (list, json_integer (-3));
    json_array_append_new (list, json_null ());
    json_array_append_new (list, json_true ());
    json_object_set_new (object, "list", list);
    ow_json_set_string (object, "none", NULL);
    ow_json_set_string (object, "first", "members stay in the order they were set");
    char *text = ow_json_dump (object);
    assert_string_equal (text, "{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"list\":[-3,null,true],"
                               "\"none\":null,\"first\":\"members stay in the order they were set\"}");
    free (text);
    json_decref (object);
    //  Invalid UTF-8 becomes U+FFFD, each bad byte once; valid multi-byte
    //  characters pass unchanged; a truncated sequence at the end too.
    json_t *value = ow_json_string ("caf\xc3\xa9 \xff \xe2\x80\x99 \xe2\x80");
    text = ow_json_dump (value);
    assert_string_equal (text, "\"caf\xc3\xa9 \xef\xbf\xbd \xe2\x80\x99 \xef\xbf\xbd\xef\xbf\xbd\"");
    free (text);
    json_decref (value);
    value = ow_json_string_n ("abc", 2);
    assert_string_equal (json_string_value (value), "ab");
    json_decref (value);
}

static void
test_json_reads_values_and_says_where_it_is_not_json (void **state)
{
    char *error = NULL;
    const char *text = " {\"a\": [1, -2.5e3, true, false, null, \"x\\\"y\\n\"], \"b\": {}} ";
    json_t *v = ow_json_parse (text, strlen (text), &error);
    assert_non_null (v);
    const json_t *a = json_object_get (v, "a");
    assert_int_equal (json_array_size (a), 6);
    assert_true (json_number_value (json_array_get (a, 1)) == -2500.0);
    assert_true (json_is_true (json_array_get (a, 2)));
    assert_true (json_is_null (json_array_get (a, 4)));
    assert_string_equal (json_string_value (json_array_get (a, 5)), "x\"y\n");
    assert_null (ow_json_get_string (v, "c"));
    assert_null (ow_json_get_string (v, "a"));
    json_decref (v);
    const char *bad [] = { "", "[1,]", "{\"a\" 1}", "\"\\ud800\"", "01", "[1] 2", "tru",
                           "\"\x01\"", "\"\xff\"", "\"a\\u0000b\"", NULL };
    for (size_t i = 0; bad [i]; i++) {
        error = NULL;
        assert_null (ow_json_parse (bad [i], strlen (bad [i]), &error));
        assert_non_null (error);
        assert_non_null (strstr (error, "not JSON: "));
        assert_non_null (strstr (error, ", column "));
        free (error);
    }
    //  Nesting deep enough to exhaust a recursive reader's stack is refused.
    size_t depth = 100000;
    char *deep = malloc (depth);
    memset (deep, '[', depth);
    error = NULL;
    assert_null (ow_json_parse (deep, depth, &error));
    assert_non_null (error);
    free (error);
    free (deep);
}

static void
test_extraction_json_has_the_contract_shape (void **state)
{
    Ofwatch__V1__Extraction *x = OW_PB_NEW (Ofwatch__V1__Extraction, ofwatch__v1__extraction__init);
    ow_pb_set_string (&x->file, "a.pdf");
    x->doc_kind = OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT;
    x->authority = OW_PB_NEW (Ofwatch__V1__Authority, ofwatch__v1__authority__init);
    ow_pb_set_string (&x->authority->code, "E06000019");
    Ofwatch__V1__InspectionFacts *e = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
                                                 ofwatch__v1__inspection_facts__init);
    e->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD;
    ow_pb_set_string (&e->start_date, "2022-07-18");
    Ofwatch__V1__InspectionFacts__JudgementsEntry *j = OW_PB_NEW (
        Ofwatch__V1__InspectionFacts__JudgementsEntry,
        ofwatch__v1__inspection_facts__judgements_entry__init);
    ow_pb_set_string (&j->key, "overall");
    j->value = OFWATCH__V1__GRADE__GRADE_INADEQUATE;
    ow_pb_append ((void ***) &e->judgements, &e->n_judgements, j);
    ow_pb_append_string (&e->inspectors, &e->n_inspectors, "Lisa Summers");
    ow_pb_append ((void ***) &x->events, &x->n_events, e);
    char *text = ow_pbjson_text (&x->base);
    assert_non_null (strstr (text, "\"file\":\"a.pdf\""));
    assert_non_null (strstr (text, "\"sha256\":null"));
    assert_non_null (strstr (text, "\"doc_kind\":\"inspection_report\""));
    assert_non_null (strstr (text, "\"authority\":{\"code\":\"E06000019\",\"name\":null"));
    assert_non_null (strstr (text, "\"visit_number\":null"));      // zero int32 is unknown
    assert_non_null (strstr (text, "\"judgements\":{\"overall\":\"inadequate\"}"));
    assert_non_null (strstr (text, "\"inspectors\":[\"Lisa Summers\"]"));
    assert_non_null (strstr (text, "\"warnings\":[]"));
    free (text);
    ow_pb_free (&x);
    assert_null (x);
}

static void
test_event_json_flattens_the_payload (void **state)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->seq = 7;
    event->type = OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED;
    ow_pb_set_string (&event->authority, "E06000019");
    event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED;
    event->payload->status_changed = OW_PB_NEW (Ofwatch__V1__StatusChanged,
                                                ofwatch__v1__status_changed__init);
    ow_pb_set_string (&event->payload->status_changed->direction, "entered");
    char *text = ow_pbjson_text (&event->base);
    assert_non_null (strstr (text, "{\"seq\":7,\"id\":null,\"type\":\"status.changed\","
                                   "\"authority\":\"E06000019\",\"theme\":null"));
    assert_non_null (strstr (text, "\"payload\":{\"status\":null,\"direction\":\"entered\""));
    char *topic = ow_wire_event_topic (event);
    assert_string_equal (topic, "status.changed.E06000019");
    free (topic);
    event->type = OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_FINDING_RECORDED;
    event->theme = OFWATCH__V1__THEME__THEME_WORKFORCE;
    topic = ow_wire_event_topic (event);
    assert_string_equal (topic, "finding.recorded.E06000019.workforce");
    free (topic);
    free (text);
    ow_pb_free (&event);
}

static void
test_garbage_is_not_a_request (void **state)
{
    zframe_t *frame = zframe_new ("\xff\xff\xff\xff\x0f", 5);
    assert_null (ow_wire_unpack_request (frame));
    zframe_destroy (&frame);
    Ofwatch__V1__Reply *error = ow_wire_error (9, OFWATCH__V1__ERROR__CODE__CODE_REJECTED,
                                               "bad %s", "thing");
    zframe_t *packed = ow_wire_pack (&error->base);
    Ofwatch__V1__Reply *back = ow_wire_unpack_reply (packed);
    assert_non_null (back);
    assert_int_equal (back->request_id, 9);
    assert_string_equal (back->error->message, "bad thing");
    zframe_destroy (&packed);
    ow_pb_free (&error);
    ow_pb_free (&back);
}

static void
test_config_defaults_and_connectable_endpoints (void **state)
{
    unsetenv ("OFWATCH_INGEST");
    setenv ("OFWATCH_KEYS", "/tmp/keys", 1);
    unsetenv ("OFWATCH_CERT");
    ow_config_t config;
    ow_config_load (&config);
    assert_string_equal (config.ingest, "tcp://127.0.0.1:7101");
    assert_string_equal (config.cert, "/tmp/keys/local-admin.cert");
    char *endpoint = ow_config_connectable ("tcp://*:7102");
    assert_string_equal (endpoint, "tcp://127.0.0.1:7102");
    free (endpoint);
    endpoint = ow_config_connectable ("tcp://store:7102");
    assert_string_equal (endpoint, "tcp://store:7102");
    free (endpoint);
}

static void
test_sha256_and_hmac_match_known_values (void **state)
{
    char hex [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex ("abc", 3, hex);
    assert_string_equal (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    //  RFC 4231 test case 2.
    ow_hash_hmac_sha256_hex ("Jefe", 4, "what do ya want for nothing?", 28, hex);
    assert_string_equal (hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_vocabulary_words_follow_the_proto_names),
        cmocka_unit_test (test_json_writes_compact_in_order_with_nulls_and_utf8),
        cmocka_unit_test (test_json_reads_values_and_says_where_it_is_not_json),
        cmocka_unit_test (test_extraction_json_has_the_contract_shape),
        cmocka_unit_test (test_event_json_flattens_the_payload),
        cmocka_unit_test (test_garbage_is_not_a_request),
        cmocka_unit_test (test_config_defaults_and_connectable_endpoints),
        cmocka_unit_test (test_sha256_and_hmac_match_known_values),
    };
    return cmocka_run_group_tests_name ("common", tests, NULL, NULL);
}
