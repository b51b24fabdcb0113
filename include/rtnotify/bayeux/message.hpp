// The Bayeux message type, its advice and its conversion from and to Boost.JSON.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_MESSAGE_HPP
#define RTNOTIFY_BAYEUX_MESSAGE_HPP

#include <rtnotify/bayeux/error.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::bayeux {

namespace json = boost::json;

/// A reconnect policy of `advice.reconnect`.
enum class reconnect
{
    retry,     ///< connect again after `interval`
    handshake, ///< handshake again; the server dropped the session
    none,      ///< do not retry and do not handshake
};

/** The `advice` field.

    Known members are typed; others are kept in `extra` and written back.
    Per-transport advice (`"callback-polling": {...}`) is an object member
    of `extra`; `for_transport` merges it over the top level.
*/
struct advice
{
    std::optional<std::string> reconnect;        ///< "retry", "handshake", "none", or another string as sent
    std::optional<std::int64_t> interval;        ///< ms before the next connect
    std::optional<std::int64_t> timeout;         ///< ms the server holds a connect
    std::optional<std::int64_t> max_interval;    ///< CometD's `maxInterval`
    std::optional<bool> multiple_clients;        ///< `multiple-clients`
    std::optional<std::vector<std::string>> hosts;
    json::object extra;                          ///< other members, kept

    /// The reconnect policy, when it is one of the three the spec defines.
    std::optional<bayeux::reconnect> policy() const noexcept
    {
        if(reconnect == "retry") return bayeux::reconnect::retry;
        if(reconnect == "handshake") return bayeux::reconnect::handshake;
        if(reconnect == "none") return bayeux::reconnect::none;
        return std::nullopt;
    }

    /// This advice with the members of `extra[transport]` (an object) taking precedence.
    advice for_transport(std::string_view transport) const;

    bool operator==(advice const&) const = default;
};

/** A Bayeux message: every field of the spec, and whatever else was sent.

    Unknown fields are kept in `extra`, so a message round-trips. `id` may be
    a string (the spec) or a number (sent by some clients), and is echoed as
    it came. `subscription` remembers whether it was one string or an array.
*/
struct message
{
    std::string channel;
    std::optional<json::value> id;
    std::optional<std::string> client_id;
    std::optional<std::string> version;
    std::optional<std::string> minimum_version;
    std::optional<std::vector<std::string>> supported_connection_types;
    std::optional<std::string> connection_type;
    std::optional<std::vector<std::string>> subscription;
    bool subscription_is_array = false;
    std::optional<bool> successful;
    std::optional<std::string> error;
    std::optional<bayeux::advice> advice;
    std::optional<json::value> data;
    std::optional<json::object> ext;
    std::optional<std::string> timestamp;
    std::optional<bool> auth_successful;
    json::object extra; ///< fields this model does not know, kept

    bool operator==(message const&) const = default;
};

namespace detail {

/// Why a JSON object is not a message: the code and the field at fault.
struct field_error
{
    error code;
    std::string_view field;
};

inline std::optional<field_error> get(json::value&& v, std::string_view f, std::optional<std::string>& out)
{
    auto* s = v.if_string();
    if(!s)
        return field_error{error::wrong_type, f};
    out.emplace(s->data(), s->size());
    return std::nullopt;
}

inline std::optional<field_error> get(json::value&& v, std::string_view f, std::optional<bool>& out)
{
    if(!v.is_bool())
        return field_error{error::wrong_type, f};
    out = v.get_bool();
    return std::nullopt;
}

inline std::optional<field_error> get(json::value&& v, std::string_view f, std::optional<std::int64_t>& out)
{
    if(auto const* i = v.if_int64())
        out = *i;
    else if(auto const* u = v.if_uint64(); u && *u <= std::uint64_t(INT64_MAX))
        out = static_cast<std::int64_t>(*u);
    else if(auto const* d = v.if_double(); d && *d >= -9.0e18 && *d <= 9.0e18)
        out = static_cast<std::int64_t>(*d);
    else
        return field_error{error::wrong_type, f};
    return std::nullopt;
}

inline std::optional<field_error> get(json::value&& v, std::string_view f, std::optional<std::vector<std::string>>& out)
{
    auto* a = v.if_array();
    if(!a)
        return field_error{error::wrong_type, f};
    out.emplace();
    out->reserve(a->size());
    for(auto& e : *a)
    {
        auto* s = e.if_string();
        if(!s)
            return field_error{error::wrong_type, f};
        out->emplace_back(s->data(), s->size());
    }
    return std::nullopt;
}

inline std::optional<field_error> to_advice(json::object&& o, advice& a)
{
    for(auto& kv : o)
    {
        auto const k = kv.key();
        std::optional<field_error> e;
        if(k == "reconnect") e = get(std::move(kv.value()), "advice.reconnect", a.reconnect);
        else if(k == "interval") e = get(std::move(kv.value()), "advice.interval", a.interval);
        else if(k == "timeout") e = get(std::move(kv.value()), "advice.timeout", a.timeout);
        else if(k == "maxInterval") e = get(std::move(kv.value()), "advice.maxInterval", a.max_interval);
        else if(k == "multiple-clients") e = get(std::move(kv.value()), "advice.multiple-clients", a.multiple_clients);
        else if(k == "hosts") e = get(std::move(kv.value()), "advice.hosts", a.hosts);
        else a.extra.emplace(k, std::move(kv.value()));
        if(e)
            return e;
    }
    return std::nullopt;
}

/** Moves the members of `o` into `m`: into the default memory resource, so
    that `m` outlives the resource `o` was parsed into (a copy when they differ).

    @return the first field of the wrong type, or a missing `channel`.
*/
inline std::optional<field_error> to_message(json::object&& o, message& m)
{
    bool has_channel = false;
    for(auto& kv : o)
    {
        auto const k = kv.key();
        auto&& v = std::move(kv.value());
        std::optional<field_error> e;
        if(k == "channel")
        {
            auto* s = v.if_string();
            if(!s)
                return field_error{error::wrong_type, "channel"};
            m.channel.assign(s->data(), s->size());
            has_channel = true;
        }
        else if(k == "id")
        {
            if(!v.is_string() && !v.is_number())
                return field_error{error::wrong_type, "id"};
            m.id.emplace(std::move(v), json::storage_ptr());
        }
        else if(k == "clientId") e = get(std::move(v), "clientId", m.client_id);
        else if(k == "version") e = get(std::move(v), "version", m.version);
        else if(k == "minimumVersion") e = get(std::move(v), "minimumVersion", m.minimum_version);
        else if(k == "supportedConnectionTypes")
            e = get(std::move(v), "supportedConnectionTypes", m.supported_connection_types);
        else if(k == "connectionType") e = get(std::move(v), "connectionType", m.connection_type);
        else if(k == "subscription")
        {
            if(auto* s = v.if_string())
                m.subscription.emplace(1, std::string(s->data(), s->size()));
            else
            {
                e = get(std::move(v), "subscription", m.subscription);
                m.subscription_is_array = true;
            }
        }
        else if(k == "successful") e = get(std::move(v), "successful", m.successful);
        else if(k == "error") e = get(std::move(v), "error", m.error);
        else if(k == "advice")
        {
            auto* a = v.if_object();
            if(!a)
                return field_error{error::wrong_type, "advice"};
            e = to_advice(std::move(*a), m.advice.emplace());
        }
        else if(k == "data") m.data.emplace(std::move(v), json::storage_ptr());
        else if(k == "ext")
        {
            auto* x = v.if_object();
            if(!x)
                return field_error{error::wrong_type, "ext"};
            m.ext.emplace(std::move(*x), json::storage_ptr());
        }
        else if(k == "timestamp") e = get(std::move(v), "timestamp", m.timestamp);
        else if(k == "authSuccessful") e = get(std::move(v), "authSuccessful", m.auth_successful);
        else m.extra.emplace(k, std::move(v));
        if(e)
            return e;
    }
    if(!has_channel)
        return field_error{error::missing_channel, "channel"};
    return std::nullopt;
}

inline void put_strings(json::object& o, std::string_view key, std::vector<std::string> const& v)
{
    auto& a = o[key].emplace_array();
    for(auto const& s : v)
        a.emplace_back(json::string_view(s));
}

} // namespace detail

inline advice advice::for_transport(std::string_view transport) const
{
    advice merged = *this;
    if(auto const* nested = extra.if_contains(transport))
        if(auto const* o = nested->if_object())
        {
            advice over;
            if(!detail::to_advice(json::object(*o), over))
            {
                if(over.reconnect) merged.reconnect = over.reconnect;
                if(over.interval) merged.interval = over.interval;
                if(over.timeout) merged.timeout = over.timeout;
                if(over.max_interval) merged.max_interval = over.max_interval;
                if(over.multiple_clients) merged.multiple_clients = over.multiple_clients;
                if(over.hosts) merged.hosts = over.hosts;
            }
        }
    return merged;
}

/// Converts advice to JSON (`boost::json::value_from`).
inline void tag_invoke(json::value_from_tag, json::value& jv, advice const& a)
{
    auto& o = jv.emplace_object();
    if(a.reconnect) o["reconnect"] = json::string_view(*a.reconnect);
    if(a.interval) o["interval"] = *a.interval;
    if(a.timeout) o["timeout"] = *a.timeout;
    if(a.max_interval) o["maxInterval"] = *a.max_interval;
    if(a.multiple_clients) o["multiple-clients"] = *a.multiple_clients;
    if(a.hosts) detail::put_strings(o, "hosts", *a.hosts);
    for(auto const& kv : a.extra)
        o[kv.key()] = kv.value();
}

/// Converts a message to JSON (`boost::json::value_from`).
inline void tag_invoke(json::value_from_tag, json::value& jv, message const& m)
{
    auto& o = jv.emplace_object();
    o["channel"] = json::string_view(m.channel);
    if(m.id) o["id"] = *m.id;
    if(m.client_id) o["clientId"] = json::string_view(*m.client_id);
    if(m.version) o["version"] = json::string_view(*m.version);
    if(m.minimum_version) o["minimumVersion"] = json::string_view(*m.minimum_version);
    if(m.supported_connection_types) detail::put_strings(o, "supportedConnectionTypes", *m.supported_connection_types);
    if(m.connection_type) o["connectionType"] = json::string_view(*m.connection_type);
    if(m.subscription)
    {
        if(m.subscription_is_array || m.subscription->size() != 1)
            detail::put_strings(o, "subscription", *m.subscription);
        else
            o["subscription"] = json::string_view(m.subscription->front());
    }
    if(m.successful) o["successful"] = *m.successful;
    if(m.error) o["error"] = json::string_view(*m.error);
    if(m.advice) json::value_from(*m.advice, o["advice"]);
    if(m.data) o["data"] = *m.data;
    if(m.ext) o["ext"] = *m.ext;
    if(m.timestamp) o["timestamp"] = json::string_view(*m.timestamp);
    if(m.auth_successful) o["authSuccessful"] = *m.auth_successful;
    for(auto const& kv : m.extra)
        o[kv.key()] = kv.value();
}

/// Converts JSON to a message (`boost::json::try_value_to<message>`); codes from `bayeux::error`.
inline result<message> tag_invoke(json::try_value_to_tag<message>, json::value const& jv)
{
    auto const* o = jv.if_object();
    if(!o)
        return error::not_object;
    message m;
    if(auto e = detail::to_message(json::object(*o), m))
        return e->code;
    return m;
}

} // namespace rtnotify::bayeux

#endif
