// The kind of a Bayeux message and the fields each kind requires.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_VALIDATE_HPP
#define RTNOTIFY_BAYEUX_VALIDATE_HPP

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/message.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::bayeux {

/// What a message's channel makes it.
enum class message_kind
{
    handshake,   ///< `/meta/handshake`
    connect,     ///< `/meta/connect`
    subscribe,   ///< `/meta/subscribe`
    unsubscribe, ///< `/meta/unsubscribe`
    disconnect,  ///< `/meta/disconnect`
    unknown_meta, ///< any other channel under `/meta`
    publish,     ///< any other channel: a publish, or (from the server) a delivery or a service reply
};

/// The kind of a message by its channel.
inline message_kind kind_of(std::string_view channel) noexcept
{
    if(!is_meta(channel))
        return message_kind::publish;
    if(channel == "/meta/handshake") return message_kind::handshake;
    if(channel == "/meta/connect") return message_kind::connect;
    if(channel == "/meta/subscribe") return message_kind::subscribe;
    if(channel == "/meta/unsubscribe") return message_kind::unsubscribe;
    if(channel == "/meta/disconnect") return message_kind::disconnect;
    return message_kind::unknown_meta;
}

namespace detail {

inline error_string missing(std::string_view field)
{
    return {402, {std::string(field)}, "Missing required parameter"};
}

} // namespace detail

/** Checks a client-to-server message against the fields its channel requires.

    The codes follow the table the spec's community uses (402 missing
    parameter, 405 invalid channel, 403 forbidden channel):
    - handshake: `version`, `supportedConnectionTypes` (non-empty);
    - connect: `clientId`, `connectionType`; disconnect: `clientId`;
    - subscribe and unsubscribe: `clientId`, `subscription` (non-empty), each
      a valid channel name or pattern (`405:<channel>:Invalid channel`);
    - other `/meta` channels: `403:<channel>:Forbidden channel`;
    - publish: a valid channel name, not a pattern (405), and `data`.
    A `non_strict` channel (what CometD accepts besides the spec) passes
    only when `allow_non_strict` is set.

    @return empty when the message is well-formed, else the error to reply with.
*/
inline std::optional<error_string> validate_request(message const& m, bool allow_non_strict = false)
{
    auto ok = [&](std::string_view ch, bool pattern_allowed) {
        auto const c = classify(ch);
        if(c.validity == validity::invalid || (c.validity == validity::non_strict && !allow_non_strict))
            return false;
        return pattern_allowed || c.wildcard == wildcard::none;
    };
    switch(kind_of(m.channel))
    {
    case message_kind::handshake:
        if(!m.version)
            return detail::missing("version");
        if(!m.supported_connection_types || m.supported_connection_types->empty())
            return detail::missing("supportedConnectionTypes");
        return std::nullopt;
    case message_kind::connect:
        if(!m.client_id)
            return detail::missing("clientId");
        if(!m.connection_type)
            return detail::missing("connectionType");
        return std::nullopt;
    case message_kind::disconnect:
        if(!m.client_id)
            return detail::missing("clientId");
        return std::nullopt;
    case message_kind::subscribe:
    case message_kind::unsubscribe:
        if(!m.client_id)
            return detail::missing("clientId");
        if(!m.subscription || m.subscription->empty())
            return detail::missing("subscription");
        for(auto const& s : *m.subscription)
            if(!ok(s, true))
                return error_string{405, {s}, "Invalid channel"};
        return std::nullopt;
    case message_kind::unknown_meta:
        return error_string{403, {m.channel}, "Forbidden channel"};
    case message_kind::publish:
        if(!ok(m.channel, false))
            return error_string{405, {m.channel}, "Invalid channel"};
        if(!m.data)
            return detail::missing("data");
        return std::nullopt;
    }
    return std::nullopt;
}

/** Checks a server-to-client reply against the fields the spec requires of it.

    - every reply to a meta channel and every publish acknowledgement: `successful`;
    - a failed one: `error` (SHOULD in general, required here for handshake);
    - a successful handshake: `version`, `supportedConnectionTypes`, `clientId`;
    - subscribe and unsubscribe: `subscription`.
    A message on a non-meta channel without `successful` is a delivery and needs `data`.

    @return empty when the reply is complete, else the name of the first missing field.
*/
inline std::optional<std::string_view> validate_reply(message const& m)
{
    auto const k = kind_of(m.channel);
    if(k == message_kind::publish && !m.successful)
        return m.data ? std::nullopt : std::optional<std::string_view>("data");
    if(!m.successful)
        return "successful";
    if(k == message_kind::handshake)
    {
        if(!*m.successful)
            return m.error ? std::nullopt : std::optional<std::string_view>("error");
        if(!m.version)
            return "version";
        if(!m.supported_connection_types)
            return "supportedConnectionTypes";
        if(!m.client_id)
            return "clientId";
    }
    if((k == message_kind::subscribe || k == message_kind::unsubscribe) && !m.subscription)
        return "subscription";
    return std::nullopt;
}

} // namespace rtnotify::bayeux

#endif
