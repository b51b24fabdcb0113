// Data rows rendered with the templates of one X-Id.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_RESPONSE_HPP
#define RTNOTIFY_SMARTREST_RESPONSE_HPP

#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/message.hpp>

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::smartrest {

/// Data rows rendered with the templates of one X-Id.
struct row_group
{
    std::string xid;
    std::vector<data_row> rows;
    bool operator==(row_group const&) const = default;
};

/** A server response of the real-time flow, digested.

    An advice line may come in the reply to any request, so every response
    is read whole: advice and batch lines are picked out, status lines
    collected, and data rows grouped by X-Id.
*/
struct response
{
    std::optional<client_id_line> client_id; ///< the handshake's client id
    std::optional<advice_line> advice;       ///< the last `86` line
    std::optional<batch_line> batch;         ///< the last `88` line
    std::vector<status_line> statuses;       ///< `20`, `4x`, `50` lines
    std::vector<row_group> groups;           ///< data rows, in order, by X-Id
    std::vector<unknown_line> unknown;       ///< ids below 100 this library does not know
};

/** Digests the records of a response.

    Rows after `87,count,xid` belong to `xid` for `count` rows; the others
    to `default_xid` (the request's X-Id). Consecutive rows of one X-Id form
    one group.

    @return the response, or the first malformed record; an `87` line
    followed by fewer data rows than it announces gives `error::short_group`
    at that line.
*/
inline boost::system::result<response, diagnostic> parse_response(document const& doc, std::string_view default_xid)
{
    response out;
    std::uint64_t left = 0;          // rows still owed to the current 87 group
    std::optional<record> open_group; // the 87 line owed rows
    auto add_row = [&](data_row&& row, std::string_view xid) {
        if(out.groups.empty() || out.groups.back().xid != xid)
            out.groups.push_back({std::string(xid), {}});
        out.groups.back().rows.push_back(std::move(row));
    };
    std::string group_xid;
    for(auto rec : doc)
    {
        auto r = parse_reply(rec);
        if(!r)
            return r.error();
        if(auto* g = std::get_if<group_line>(&*r))
        {
            if(left != 0)
                return detail::field_error(*open_group, error::short_group, 2);
            left = g->count;
            group_xid = g->xid;
            open_group = rec;
            if(left == 0) // an empty group still names its X-Id
                out.groups.push_back({group_xid, {}});
        }
        else if(auto* row = std::get_if<data_row>(&*r))
        {
            if(left != 0)
            {
                add_row(std::move(*row), group_xid);
                --left;
            }
            else
                add_row(std::move(*row), default_xid);
        }
        else if(auto* a = std::get_if<advice_line>(&*r))
            out.advice = *a;
        else if(auto* b = std::get_if<batch_line>(&*r))
            out.batch = *b;
        else if(auto* s = std::get_if<status_line>(&*r))
            out.statuses.push_back(std::move(*s));
        else if(auto* c = std::get_if<client_id_line>(&*r))
            out.client_id = std::move(*c);
        else
            out.unknown.push_back(std::get<unknown_line>(std::move(*r)));
    }
    if(left != 0)
        return detail::field_error(*open_group, error::short_group, 2);
    return out;
}

} // namespace rtnotify::smartrest

#endif
