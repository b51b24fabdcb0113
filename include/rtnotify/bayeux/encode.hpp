// Encodes Bayeux messages and batches as JSON text.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_ENCODE_HPP
#define RTNOTIFY_BAYEUX_ENCODE_HPP

#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/detail/json_numbers.hpp>

#include <boost/json/serializer.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <string>
#include <utility>
#include <string_view>

namespace rtnotify::bayeux {

namespace detail {

// Writes JSON text to a string without building a value: the message's own
// strings, integers, booleans and null directly, the rest through one serializer.
class json_writer
{
public:
    explicit json_writer(std::string& out) : out_(out) {}

    void raw(std::string_view s) { out_.append(s); }

    /// Writes `s` as a JSON string, with the escapes Boost.JSON's serializer writes.
    void string(std::string_view s)
    {
        if(std::none_of(s.begin(), s.end(), needs_escape))
        {
            out_.push_back('"');
            out_.append(s);
            out_.push_back('"');
            return;
        }
        sr_.reset(json::string_view(s));
        drain();
    }

    /** Writes `v`: a scalar other than a double directly, anything else
        through the serializer in one piece (faster on nested values). A
        non-finite double (see `encode`) is written as the literal that
        parses back to it.
    */
    void value(json::value const& v)
    {
        switch(v.kind())
        {
        case json::kind::null: return raw("null");
        case json::kind::bool_: return raw(v.get_bool() ? "true" : "false");
        case json::kind::int64: return integer(v.get_int64());
        case json::kind::uint64: return integer(v.get_uint64());
        case json::kind::string: return string(v.get_string());
        default:
            if(!rtnotify::detail::all_finite(v))
                return sanitized(v);
            sr_.reset(&v);
            drain();
        }
    }

    /// Writes `o`: directly when it holds scalars only (an `ext` such as `{"ack":3}`), else as `value` does.
    void value(json::object const& o)
    {
        bool const scalars = std::all_of(o.begin(), o.end(), [](json::key_value_pair const& kv) {
            return !kv.value().is_structured() && !kv.value().is_double();
        });
        // an object of scalars other than doubles is finite: it is not walked a second time
        if(!scalars && std::all_of(o.begin(), o.end(), [](json::key_value_pair const& kv) {
               return rtnotify::detail::all_finite(kv.value());
           }))
        {
            sr_.reset(&o);
            return drain();
        }
        bool first = true;
        for(auto const& kv : o)
        {
            key(kv.key(), first);
            value(kv.value());
        }
        raw(first ? "{}" : "}");
    }

    void key(std::string_view k, bool& first)
    {
        out_.push_back(first ? '{' : ',');
        first = false;
        string(k);
        out_.push_back(':');
    }

    void strings(std::vector<std::string> const& v)
    {
        out_.push_back('[');
        for(std::size_t i = 0; i < v.size(); ++i)
        {
            if(i)
                out_.push_back(',');
            string(v[i]);
        }
        out_.push_back(']');
    }

private:
    /// The bytes Boost.JSON's serializer escapes in a string: the quote, the backslash and the controls.
    static bool needs_escape(char c) noexcept
    {
        return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
    }

    template<class Integer>
    void integer(Integer n)
    {
        char buf[24];
        auto const end = std::to_chars(buf, buf + sizeof buf, n).ptr;
        out_.append(buf, static_cast<std::size_t>(end - buf));
    }

    /// `v`, which holds a non-finite number, element by element: infinity as `1e999` (or `-1e999`), NaN as `null`.
    void sanitized(json::value const& v)
    {
        if(auto const* d = v.if_double())
            raw(std::isnan(*d) ? "null" : *d > 0 ? "1e999" : "-1e999");
        else if(auto const* o = v.if_object())
            value(*o);
        else
        {
            out_.push_back('[');
            bool first = true;
            for(auto const& e : v.get_array())
            {
                if(!std::exchange(first, false))
                    out_.push_back(',');
                value(e);
            }
            out_.push_back(']');
        }
    }

    void drain()
    {
        char buf[4096];
        while(!sr_.done())
            out_.append(sr_.read(buf, sizeof buf));
    }

    std::string& out_;
    json::serializer sr_;
};

inline void write(json_writer& w, advice const& a)
{
    bool first = true;
    if(a.reconnect) w.key("reconnect", first), w.string(*a.reconnect);
    if(a.interval) w.key("interval", first), w.raw(std::to_string(*a.interval));
    if(a.timeout) w.key("timeout", first), w.raw(std::to_string(*a.timeout));
    if(a.max_interval) w.key("maxInterval", first), w.raw(std::to_string(*a.max_interval));
    if(a.multiple_clients) w.key("multiple-clients", first), w.raw(*a.multiple_clients ? "true" : "false");
    if(a.hosts) w.key("hosts", first), w.strings(*a.hosts);
    for(auto const& kv : a.extra)
        w.key(kv.key(), first), w.value(kv.value());
    w.raw(first ? "{}" : "}");
}

inline void write(json_writer& w, message const& m)
{
    bool first = true;
    w.key("channel", first), w.string(m.channel);
    if(m.id) w.key("id", first), w.value(*m.id);
    if(m.client_id) w.key("clientId", first), w.string(*m.client_id);
    if(m.version) w.key("version", first), w.string(*m.version);
    if(m.minimum_version) w.key("minimumVersion", first), w.string(*m.minimum_version);
    if(m.supported_connection_types)
        w.key("supportedConnectionTypes", first), w.strings(*m.supported_connection_types);
    if(m.connection_type) w.key("connectionType", first), w.string(*m.connection_type);
    if(m.subscription)
    {
        w.key("subscription", first);
        if(m.subscription_is_array || m.subscription->size() != 1)
            w.strings(*m.subscription);
        else
            w.string(m.subscription->front());
    }
    if(m.successful) w.key("successful", first), w.raw(*m.successful ? "true" : "false");
    if(m.error) w.key("error", first), w.string(*m.error);
    if(m.advice) w.key("advice", first), write(w, *m.advice);
    if(m.data) w.key("data", first), w.value(*m.data);
    if(m.ext) w.key("ext", first), w.value(*m.ext);
    if(m.timestamp) w.key("timestamp", first), w.string(*m.timestamp);
    if(m.auth_successful) w.key("authSuccessful", first), w.raw(*m.auth_successful ? "true" : "false");
    for(auto const& kv : m.extra)
        w.key(kv.key(), first), w.value(kv.value());
    w.raw("}");
}

} // namespace detail

/// Appends the messages of `batch` to `out` as JSON objects separated by commas: the inside of an array.
inline void encode_elements(std::string& out, std::span<message const> batch)
{
    detail::json_writer w(out);
    for(std::size_t i = 0; i < batch.size(); ++i)
    {
        if(i)
            out.push_back(',');
        detail::write(w, batch[i]);
    }
}

/// One message as a JSON object (what `encode` writes for each element of a batch).
inline std::string encode(message const& m)
{
    std::string out;
    encode_elements(out, std::span<message const>(&m, 1));
    return out;
}

/** Appends a batch of messages to `out` as a JSON array (the same JSON as `value_from`, written directly).

    JSON has no infinity or NaN, but a literal such as `2e9999` parses to
    infinity: an infinite double is written `1e999` (or `-1e999`), which
    parses back to the same value, and a NaN is written `null`, as
    JavaScript's `JSON.stringify` does. The output is always valid JSON.
*/
inline void encode(std::string& out, std::span<message const> batch)
{
    out.push_back('[');
    encode_elements(out, batch);
    out.push_back(']');
}

/// A batch of messages as a JSON array.
inline std::string encode(std::span<message const> batch)
{
    std::string out;
    encode(out, batch);
    return out;
}

} // namespace rtnotify::bayeux

#endif
