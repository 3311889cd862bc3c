/*  report — `ofwatch report`: the pages render_*.c draw, from the same
    messages the queries answer.
*/

#include "views.h"
#include "render.h"

static Ofwatch__V1__Report *
report_of (char *title, char *html)
{
    Ofwatch__V1__Report *report = OW_PB_NEW (Ofwatch__V1__Report, ofwatch__v1__report__init);
    report->title = title;
    report->html = html;
    return report;
}

Ofwatch__V1__Report *
view_report_authority (const view_t *view, const model_history_t *history)
{
    Ofwatch__V1__AuthorityHistory *data = view_history (view, history);
    Ofwatch__V1__Report *report = report_of (ow_printf ("%s (%s)", data->authority->name,
                                                        data->authority->code),
                                             render_authority (data));
    ow_pb_free (&data);
    return report;
}

Ofwatch__V1__Report *
view_report_national (const view_t *view)
{
    Ofwatch__V1__National *data = view_national (view);
    Ofwatch__V1__Report *report = report_of (ow_strdup ("England"), render_national (data));
    ow_pb_free (&data);
    return report;
}
