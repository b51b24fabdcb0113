// The JSON text of a Bayeux batch the engine sends: replies encoded here, deliveries shared as encoded once.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_BATCH_TEXT_HPP
#define RTNOTIFY_BEAST_DETAIL_BATCH_TEXT_HPP

#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/session/server_action.hpp>

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace rtnotify::beast::detail {

/** `prefix`, the messages of `s` as one JSON array, then `suffix`.

    The deliveries' JSON texts are referenced, not copied: a publish to many
    sockets holds its text once, whatever the number of frames and
    responses that carry it.
*/
inline shared_text batch_text(session::send const& s, std::string_view prefix = {}, std::string_view suffix = {})
{
    shared_text out;
    std::string own;
    own.reserve(prefix.size() + 256); // room for a reply or two, encoded between the shared deliveries
    own.append(prefix);
    own.push_back('[');
    bool first = true;
    auto const separate = [&] {
        if(!first)
            own.push_back(',');
        first = false;
    };
    session::for_each_in_order(
        s,
        [&](bayeux::message const& m) {
            separate();
            bayeux::encode_elements(own, std::span<bayeux::message const>(&m, 1));
        },
        [&](session::delivery const& d) {
            separate();
            out.append(std::exchange(own, {}));
            out.append(d.json);
        });
    own.push_back(']');
    own.append(suffix);
    out.append(std::move(own));
    return out;
}

} // namespace rtnotify::beast::detail

#endif
