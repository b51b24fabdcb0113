// rtnotify/session/timesync.hpp: CometD's timesync extension, the fields a handshake or connect and its reply carry in `ext`.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_TIMESYNC_HPP
#define RTNOTIFY_SESSION_TIMESYNC_HPP

#include <rtnotify/bayeux/message.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace rtnotify::session {

/** CometD's timesync extension (not part of Bayeux 1.0), in `ext.timesync`.

    A client's handshake or connect carries `{tc, l, o}`: its clock when it
    sent the message, the network lag and the clock offset it estimated (ms).
    The reply carries `{tc, ts, p, a}`: `tc` echoed, the server's clock when
    the message arrived (`ts`), how long the server kept it (`p`, the hold of
    a connect included) and how far the client's estimate was off
    (`a = tc + o + l - ts`). The client takes its lag as `(now - tc - p) / 2`
    and its offset as `ts - tc - lag`.
*/
inline constexpr std::string_view timesync_key = "timesync";

/// What a request's `ext.timesync` said, and when the server got it.
struct timesync_request
{
    std::int64_t tc = 0; ///< the client's clock when it sent the message
    std::int64_t l = 0;  ///< the lag the client estimated
    std::int64_t o = 0;  ///< the offset the client estimated
    std::int64_t ts = 0; ///< the server's clock when the message arrived
};

/// `m`'s `ext.timesync` received at `received_ms`, when it has an integer
/// `tc` (and `l`, `o` are integers or absent) of a size a clock can have.
inline std::optional<timesync_request> read_timesync(bayeux::message const& m, std::int64_t received_ms) noexcept
{
    if(!m.ext)
        return std::nullopt;
    auto const* v = m.ext->if_contains(timesync_key);
    auto const* o = v ? v->if_object() : nullptr;
    if(!o)
        return std::nullopt;
    // a year's worth of milliseconds times a thousand: no sum below can overflow
    constexpr std::int64_t limit = std::int64_t(1) << 50;
    auto const field = [&](std::string_view key, std::int64_t& out) {
        auto const* x = o->if_contains(key);
        if(!x)
            return key != "tc";
        auto const n = x->if_int64();
        auto const u = x->if_uint64();
        auto const d = x->if_double();
        double const value = n ? static_cast<double>(*n) : u ? static_cast<double>(*u) : d ? *d : limit * 2.0;
        if(!(value > -static_cast<double>(limit) && value < static_cast<double>(limit)))
            return false;
        out = static_cast<std::int64_t>(value);
        return true;
    };
    timesync_request t;
    t.ts = received_ms;
    if(!field("tc", t.tc) || !field("l", t.l) || !field("o", t.o))
        return std::nullopt;
    return t;
}

/// Puts the reply's `ext.timesync` for request `t` on `reply`, sent at `now_ms`.
inline void write_timesync(bayeux::message& reply, timesync_request const& t, std::int64_t now_ms)
{
    if(!reply.ext)
        reply.ext.emplace();
    (*reply.ext)[timesync_key] =
        bayeux::json::object{{"tc", t.tc}, {"ts", t.ts}, {"p", now_ms - t.ts}, {"a", t.tc + t.o + t.l - t.ts}};
}

} // namespace rtnotify::session

#endif
