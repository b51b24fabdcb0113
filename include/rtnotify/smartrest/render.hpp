// Renders a JSON document through response templates into SmartREST rows.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_RENDER_HPP
#define RTNOTIFY_SMARTREST_RENDER_HPP

#include <rtnotify/smartrest/message.hpp>
#include <rtnotify/smartrest/registry.hpp>
#include <rtnotify/smartrest/template.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::smartrest {

/** The field text of a JSON value.

    A string is its content; an integer its decimal digits; a double its
    shortest round-trip text (`-1.5`, `3`, `1e+100`); a boolean `true` or `false`; null, and a value that does not
    exist, an empty field; an object or array its compact JSON text.
*/
inline std::string render_value(boost::json::value const* v)
{
    if(!v || v->is_null())
        return {};
    if(auto const* s = v->if_string())
        return std::string(s->data(), s->size());
    if(auto const* d = v->if_double())
    {
        char buf[32];
        auto const end = std::to_chars(buf, buf + sizeof buf, *d).ptr;
        return std::string(buf, end);
    }
    return boost::json::serialize(*v);
}

/** The data in a notification that templates apply to.

    A Cumulocity notification is `{"realtimeAction":...,"data":{...}}`; its
    `data` is rendered. Any other value is rendered whole.
*/
inline boost::json::value const& notification_data(boost::json::value const& notification) noexcept
{
    if(auto const* o = notification.if_object())
        if(o->contains("realtimeAction"))
            if(auto const* d = o->if_contains("data"))
                return *d;
    return notification;
}

/** Appends to `out` the rows the response templates of `c` make from `data`.

    Templates apply in registration order. A base that is an array gives one
    row per element; a condition must exist in the base (element); a value
    that does not exist renders as an empty field.
*/
inline void render_rows(collection const& c, boost::json::value const& data, std::uint64_t line,
                        std::vector<data_row>& out)
{
    for(auto const& t : c.responses)
    {
        auto const* base = t.base.resolve(data);
        if(!base)
            continue;
        auto one = [&](boost::json::value const& item) {
            if(t.has_condition && !t.condition.resolve(item))
                return;
            data_row row{t.msg_id, line, {}};
            for(auto const& v : t.values)
                row.values.push_back(render_value(v.resolve(item)));
            out.push_back(std::move(row));
        };
        if(auto const* arr = base->if_array())
            for(auto const& item : *arr)
                one(item);
        else
            one(*base);
    }
}

/** Appends the lines a notification renders to through several X-Ids.

    With one collection, the rows alone; with several, each non-empty group
    of rows is preceded by `87,count,xid`, where `xid` is `labels[i]` for
    collection `i` (the X-Id as the client named it: its name or its
    numeric id), or the name it was registered under when `labels` has no
    entry for it.
*/
inline void render_notification(std::string& out, std::span<collection const* const> collections,
                                boost::json::value const& notification, std::uint64_t line = 1,
                                std::span<std::string_view const> labels = {})
{
    auto const& data = notification_data(notification);
    std::vector<data_row> rows;
    for(std::size_t i = 0; i < collections.size(); ++i)
    {
        auto const* c = collections[i];
        rows.clear();
        render_rows(*c, data, line, rows);
        if(rows.empty())
            continue;
        if(collections.size() > 1)
            encode(out, group_line{rows.size(), i < labels.size() ? std::string(labels[i]) : c->xid});
        for(auto const& r : rows)
            encode(out, r);
    }
}

} // namespace rtnotify::smartrest

#endif
