// The Bayeux acknowledgement extension's fields in `ext`.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_ACK_HPP
#define RTNOTIFY_SESSION_ACK_HPP

#include <rtnotify/bayeux/message.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace rtnotify::session {

/** The acknowledgement extension, in `ext`.

    - handshake request `ext.ack: true` asks for it; a successful handshake
      reply with `ext.ack: true` grants it;
    - every `/meta/connect` reply carries `ext.ack: n`, the number of the
      batch of deliveries it holds (or of the last batch, when it holds none);
    - every `/meta/connect` request carries `ext.ack: n`, the last batch the
      client processed.
    The server keeps a batch until it is acknowledged and sends it again,
    with the same number, to a connect that did not acknowledge it; a client
    ignores the deliveries of a batch it has already processed.
*/
inline constexpr std::string_view ack_key = "ack";

/// The `ext` member by which a connect reply reports deliveries dropped for this client.
inline constexpr std::string_view overflow_key = "rtnotify.overflow";

/// `ext[key]` of `m` as a non-negative integer, if it is one.
inline std::optional<std::uint64_t> ext_uint(bayeux::message const& m, std::string_view key) noexcept
{
    if(!m.ext)
        return std::nullopt;
    auto const* v = m.ext->if_contains(key);
    if(!v)
        return std::nullopt;
    if(auto const* u = v->if_uint64())
        return *u;
    if(auto const* i = v->if_int64(); i && *i >= 0)
        return static_cast<std::uint64_t>(*i);
    return std::nullopt;
}

/// True when `ext[key]` of `m` is the boolean `true`.
inline bool ext_true(bayeux::message const& m, std::string_view key) noexcept
{
    if(!m.ext)
        return false;
    auto const* v = m.ext->if_contains(key);
    return v && v->is_bool() && v->get_bool();
}

/// Sets `ext[key]` of `m` to `v`, creating `ext` if needed.
inline void set_ext(bayeux::message& m, std::string_view key, bayeux::json::value v)
{
    if(!m.ext)
        m.ext.emplace();
    (*m.ext)[key] = std::move(v);
}

} // namespace rtnotify::session

#endif
