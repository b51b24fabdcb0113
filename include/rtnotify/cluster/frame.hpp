// The frame one node puts on the cluster bus: who sent it, its sequence number, what it carries.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CLUSTER_FRAME_HPP
#define RTNOTIFY_CLUSTER_FRAME_HPP

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rtnotify::cluster {

/** What a frame carries; its name is the frame's first word.

    A receiver refuses a kind it does not know (`frame_error`), so nodes of
    a newer version can add kinds without older ones misreading them.
*/
enum class frame_kind
{
    bayeux,    ///< a Bayeux publish a node accepted: its body is the message's JSON
    templates, ///< SmartREST templates a node registered: its body is `templates_body`
    service,   ///< an event of a WebSocket service (Kuzzle's document changes): its body is the service's text
    mqtt,      ///< an MQTT message a client published: its body is `mqtt_body` (cluster/mqtt_body.hpp)
};

/// The longest node id: ids are 1 to 64 characters of `[A-Za-z0-9_-]`.
inline constexpr std::size_t max_node_id_length = 64;

/// The longest incarnation: they are 1 to 16 characters of `[A-Za-z0-9]`.
inline constexpr std::size_t max_incarnation_length = 16;

/** A frame of the bus, as text:

    @code
    bayeux node-a Jx3kQ9mZ 41\n{"channel":"/chat","data":"hi"}
    @endcode

    the kind, the id of the node that published it, the node's incarnation
    (drawn at each start: a node restarted under the same id numbers its
    frames from 1 again, and receivers must know), its sequence number in
    that incarnation (from 1, one more per frame, so a receiver counts what
    it missed), a line feed, and the body. The views refer to the decoded
    text.
*/
struct frame
{
    frame_kind kind = frame_kind::bayeux;
    std::string_view node;
    std::string_view incarnation;
    std::uint64_t sequence = 0;
    std::string_view body;
};

/// Why a text is not a frame, and the byte offset where that shows.
struct frame_error
{
    char const* what = "";
    std::size_t offset = 0;

    /// "what at byte N", for logs.
    std::string message() const { return std::string(what) + " at byte " + std::to_string(offset); }
};

/// The name of `k` in a frame's header.
constexpr std::string_view to_string(frame_kind k) noexcept
{
    switch(k)
    {
    case frame_kind::bayeux: return "bayeux";
    case frame_kind::templates: return "templates";
    case frame_kind::service: return "service";
    case frame_kind::mqtt: return "mqtt";
    }
    return "?";
}

/// True when `s` is 1 to `max` characters of `[A-Za-z0-9]`, and also `_` and `-` with `dash_and_underscore`.
constexpr bool is_plain_word(std::string_view s, std::size_t max, bool dash_and_underscore) noexcept
{
    if(s.empty() || s.size() > max)
        return false;
    for(char const c : s)
        if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             (dash_and_underscore && (c == '_' || c == '-'))))
            return false;
    return true;
}

/// True when `id` can name a node: 1 to `max_node_id_length` characters of `[A-Za-z0-9_-]`.
constexpr bool is_node_id(std::string_view id) noexcept { return is_plain_word(id, max_node_id_length, true); }

/// True when `s` can be an incarnation: 1 to `max_incarnation_length` characters of `[A-Za-z0-9]`.
constexpr bool is_incarnation(std::string_view s) noexcept { return is_plain_word(s, max_incarnation_length, false); }

/// The text of `f` (`f.node` must be an `is_node_id`, `f.incarnation` an `is_incarnation`).
inline std::string encode_frame(frame const& f)
{
    auto const kind = to_string(f.kind);
    std::string out;
    out.reserve(kind.size() + f.node.size() + f.incarnation.size() + 24 + f.body.size());
    out.append(kind).append(1, ' ').append(f.node).append(1, ' ').append(f.incarnation).append(1, ' ');
    out.append(std::to_string(f.sequence));
    out.append(1, '\n').append(f.body);
    return out;
}

/** The frame in `text`, or what is wrong with it and where.

    Exactly one space between the words, a valid node id and incarnation,
    a sequence number of 1 to 2^64-1 in decimal without leading zeros, and a
    line feed before the body; the body itself is not read here.
*/
inline std::variant<frame, frame_error> decode_frame(std::string_view text)
{
    auto const eol = text.find('\n');
    if(eol == std::string_view::npos)
        return frame_error{"no line feed after the header", text.size()};
    std::string_view const head = text.substr(0, eol);
    frame f;
    auto const first = head.find(' ');
    if(first == std::string_view::npos)
        return frame_error{"no space after the kind", head.size()};
    auto const kind = head.substr(0, first);
    if(kind == to_string(frame_kind::bayeux))
        f.kind = frame_kind::bayeux;
    else if(kind == to_string(frame_kind::templates))
        f.kind = frame_kind::templates;
    else if(kind == to_string(frame_kind::service))
        f.kind = frame_kind::service;
    else if(kind == to_string(frame_kind::mqtt))
        f.kind = frame_kind::mqtt;
    else
        return frame_error{"unknown frame kind", 0};
    auto const second = head.find(' ', first + 1);
    if(second == std::string_view::npos)
        return frame_error{"no space after the node id", head.size()};
    f.node = head.substr(first + 1, second - first - 1);
    if(!is_node_id(f.node))
        return frame_error{"invalid node id", first + 1};
    auto const third = head.find(' ', second + 1);
    if(third == std::string_view::npos)
        return frame_error{"no space after the incarnation", head.size()};
    f.incarnation = head.substr(second + 1, third - second - 1);
    if(!is_incarnation(f.incarnation))
        return frame_error{"invalid incarnation", second + 1};
    std::string_view const seq = head.substr(third + 1);
    char const* const end = seq.data() + seq.size();
    auto const [ptr, ec] = std::from_chars(seq.data(), end, f.sequence);
    if(seq.empty() || seq.front() == '0' || ec != std::errc() || ptr != end)
        return frame_error{"invalid sequence number", third + 1 + static_cast<std::size_t>(ptr - seq.data())};
    f.body = text.substr(eol + 1);
    return f;
}

/// A SmartREST registration as a `templates` frame carries it: the X-Id, the owner, the posted body.
struct template_registration
{
    std::string_view xid;   ///< the request's X-Id (empty: the body's `15` line names it)
    std::string_view owner; ///< who registered it (the client's address), for the per-owner bound
    std::string_view body;  ///< the body of the `POST`, as it came
};

/// The body of a `templates` frame: the X-Id and the owner on a line each, then the posted body.
inline std::string templates_body(template_registration const& r)
{
    std::string out;
    out.reserve(r.xid.size() + r.owner.size() + 2 + r.body.size());
    out.append(r.xid).append(1, '\n').append(r.owner).append(1, '\n').append(r.body);
    return out;
}

/// The registration a `templates` frame's body carries, or none when it lacks its two lines.
inline std::optional<template_registration> read_templates_body(std::string_view body)
{
    auto const first = body.find('\n');
    if(first == std::string_view::npos)
        return std::nullopt;
    auto const second = body.find('\n', first + 1);
    if(second == std::string_view::npos)
        return std::nullopt;
    return template_registration{body.substr(0, first), body.substr(first + 1, second - first - 1), body.substr(second + 1)};
}

} // namespace rtnotify::cluster

#endif
