// The typed SmartREST real-time messages (80 to 88, 15) and their parsing.
// SPDX-License-Identifier: BSL-1.0
// One header because SmartREST's real-time messages are one closed set: the types of every line, the variant
// of them, and the one parser that tells them apart.
#ifndef RTNOTIFY_SMARTREST_MESSAGE_HPP
#define RTNOTIFY_SMARTREST_MESSAGE_HPP

#include <rtnotify/smartrest/detail/number.hpp>
#include <rtnotify/smartrest/diagnostic.hpp>
#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/encode.hpp>

#include <boost/system/result.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::smartrest {

// ------------------------------------------------------------------ requests

/// `80` or `80,true`: real-time handshake; `true` asks for reliable push (`88` batches).
struct handshake_request
{
    bool reliable = false;
    bool operator==(handshake_request const&) const = default;
};

/// `81,clientId,channel[,xid...]`: subscribe, rendering with the extra X-Ids too.
struct subscribe_request
{
    std::string client_id;
    std::string channel;
    std::vector<std::string> extra_xids;
    bool operator==(subscribe_request const&) const = default;
};

/// `82,clientId,channel`: unsubscribe.
struct unsubscribe_request
{
    std::string client_id;
    std::string channel;
    bool operator==(unsubscribe_request const&) const = default;
};

/// `83,clientId[,batch]`: connect (long poll); `batch` acknowledges the last `88` received.
struct connect_request
{
    std::string client_id;
    std::optional<std::uint64_t> batch;
    bool operator==(connect_request const&) const = default;
};

/// `84,clientId`: disconnect.
struct disconnect_request
{
    std::string client_id;
    bool operator==(disconnect_request const&) const = default;
};

/// `15,xid`: the X-Id of the lines that follow.
struct switch_xid
{
    std::string xid;
    bool operator==(switch_xid const&) const = default;
};

/// A client-to-server message of the real-time flow.
using request = std::variant<handshake_request, subscribe_request, unsubscribe_request, connect_request,
                             disconnect_request, switch_xid>;

// ------------------------------------------------------------------- replies

/// The handshake reply: the client id alone on its line.
struct client_id_line
{
    std::string client_id;
    bool operator==(client_id_line const&) const = default;
};

/// A Bayeux reconnect policy, as carried by `86`.
enum class reconnect
{
    none,      ///< do not reconnect
    retry,     ///< connect again after the interval
    handshake, ///< handshake again (e.g. the client id is unknown)
};

/** `86`: advice. Empty fields mean "unchanged".

    Accepted as `86,timeout,interval,policy` (documented) and
    `86,,timeout,interval,policy` (what servers send); the last three fields
    are taken. Encoded in the 5-field form, which every known client reads.
*/
struct advice_line
{
    std::optional<std::uint64_t> timeout;  ///< milliseconds
    std::optional<std::uint64_t> interval; ///< milliseconds
    std::optional<reconnect> policy;
    bool operator==(advice_line const&) const = default;
};

/// `87,count,xid`: the next `count` data rows were rendered with the templates of `xid`.
struct group_line
{
    std::uint64_t count = 0;
    std::string xid;
    bool operator==(group_line const&) const = default;
};

/// `88,batch`: the rows of this response form batch `batch`; acknowledge it on the next `83`.
struct batch_line
{
    std::uint64_t batch = 0;
    bool operator==(batch_line const&) const = default;
};

/** A status line: `20`, `40`, `41`, `42`, `43`, `45` or `50`.

    Parsed leniently as `code[,line][,text...]`: a numeric second field is the
    line number (for `20` it is the template collection id), the next field
    the text, and further fields are kept in `extra` (`50,line,httpCode,...`).
*/
struct status_line
{
    std::uint32_t code = 0;
    std::optional<std::uint64_t> line;
    std::string text;
    std::vector<std::string> extra;
    bool operator==(status_line const&) const = default;
};

/** A data row: `msgId(>=100),line,values...`.

    Rows are sent with the request's line number, but documented examples
    also show `100,myvalue`: a second field that is not a number is taken as
    the first value, and `line` is empty.
*/
struct data_row
{
    std::uint64_t msg_id = 0;
    std::optional<std::uint64_t> line;
    std::vector<std::string> values;
    bool operator==(data_row const&) const = default;
};

/// A record whose id is below 100 and not one this library knows; kept whole.
struct unknown_line
{
    std::uint64_t msg_id = 0;
    std::vector<std::string> fields; ///< the fields after the id
    bool operator==(unknown_line const&) const = default;
};

/// A server-to-client line of the real-time flow or of template registration.
using reply = std::variant<client_id_line, advice_line, group_line, batch_line, status_line, data_row, unknown_line>;

namespace detail {

inline diagnostic field_error(record const& r, error e, std::size_t field) noexcept
{
    return {e, r.offset, r.line, field};
}

inline std::vector<std::string> copy_fields(record const& r, std::size_t from)
{
    std::vector<std::string> v;
    for(auto i = from; i < r.size(); ++i)
        v.emplace_back(r[i]);
    return v;
}

// Checks that `r` has between `min` and `max` fields; the error names the first missing or extra field.
inline std::optional<diagnostic> arity(record const& r, std::size_t min, std::size_t max) noexcept
{
    if(r.size() < min)
        return field_error(r, error::missing_field, r.size() + 1);
    if(r.size() > max)
        return field_error(r, error::extra_field, max + 1);
    return std::nullopt;
}

inline std::optional<diagnostic> non_empty(record const& r, std::size_t i) noexcept
{
    if(r[i].empty())
        return field_error(r, error::empty_field, i + 1);
    return std::nullopt;
}

} // namespace detail

/// The message id a record starts with: its first field as an unsigned decimal; none if it has no such field.
inline std::optional<std::uint64_t> message_id(record const& r) noexcept
{
    return r.size() ? detail::to_unsigned(r[0]) : std::nullopt;
}

/** Parses a client-to-server record: `15` or `80`..`84`.

    @return the message, or a diagnostic naming the record's offset and line
    and the 1-based field at fault. Other ids give `error::unknown_message`.
*/
inline boost::system::result<request, diagnostic> parse_request(record const& r)
{
    using detail::field_error;
    auto const id = message_id(r);
    if(!id)
        return field_error(r, error::invalid_message_id, 1);
    constexpr auto any = std::size_t(-1);
    switch(*id)
    {
    case 15:
        if(auto d = detail::arity(r, 2, 2)) return *d;
        if(auto d = detail::non_empty(r, 1)) return *d;
        return switch_xid{std::string(r[1])};
    case 80:
        if(auto d = detail::arity(r, 1, 2)) return *d;
        if(r.size() == 2 && r[1] != "true" && r[1] != "false")
            return field_error(r, error::invalid_message_id, 2);
        return handshake_request{r.size() == 2 && r[1] == "true"};
    case 81:
    {
        if(auto d = detail::arity(r, 3, any)) return *d;
        for(std::size_t i = 1; i < r.size(); ++i)
            if(auto d = detail::non_empty(r, i)) return *d;
        return subscribe_request{std::string(r[1]), std::string(r[2]), detail::copy_fields(r, 3)};
    }
    case 82:
        if(auto d = detail::arity(r, 3, 3)) return *d;
        if(auto d = detail::non_empty(r, 1)) return *d;
        if(auto d = detail::non_empty(r, 2)) return *d;
        return unsubscribe_request{std::string(r[1]), std::string(r[2])};
    case 83:
    {
        if(auto d = detail::arity(r, 2, 3)) return *d;
        if(auto d = detail::non_empty(r, 1)) return *d;
        connect_request c{std::string(r[1]), std::nullopt};
        if(r.size() == 3 && !r[2].empty())
        {
            c.batch = detail::to_unsigned(r[2]);
            if(!c.batch)
                return field_error(r, error::not_a_number, 3);
        }
        return c;
    }
    case 84:
        if(auto d = detail::arity(r, 2, 2)) return *d;
        if(auto d = detail::non_empty(r, 1)) return *d;
        return disconnect_request{std::string(r[1])};
    default:
        return field_error(r, error::unknown_message, 1);
    }
}

namespace detail {

inline std::optional<reconnect> to_reconnect(std::string_view s) noexcept
{
    if(s == "none") return reconnect::none;
    if(s == "retry") return reconnect::retry;
    if(s == "handshake") return reconnect::handshake;
    return std::nullopt;
}

inline boost::system::result<advice_line, diagnostic> parse_advice(record const& r)
{
    if(auto d = arity(r, 4, 5))
        return *d;
    auto const base = r.size() - 3; // the last three fields
    advice_line a;
    for(std::size_t k = 0; k < 2; ++k)
    {
        auto const f = r[base + k];
        if(f.empty())
            continue;
        auto v = to_unsigned(f);
        if(!v)
            return field_error(r, error::not_a_number, base + k + 1);
        (k == 0 ? a.timeout : a.interval) = v;
    }
    if(!r[base + 2].empty())
    {
        a.policy = to_reconnect(r[base + 2]);
        if(!a.policy)
            return field_error(r, error::bad_reconnect_policy, base + 3);
    }
    return a;
}

inline bool is_status_code(std::uint64_t id) noexcept
{
    return id == 20 || id == 40 || id == 41 || id == 42 || id == 43 || id == 45 || id == 50;
}

} // namespace detail

/** Parses a server-to-client record.

    A record of one non-numeric field is the handshake's client id. Ids of
    100 and above are data rows; known ids below 100 are typed; other ids
    below 100 are returned as `unknown_line`, not as errors.
*/
inline boost::system::result<reply, diagnostic> parse_reply(record const& r)
{
    using detail::field_error;
    if(r.size() == 0)
        return field_error(r, error::missing_field, 1);
    auto const id = detail::to_unsigned(r[0]);
    if(!id || (r.size() == 1 && *id >= 100))
    {
        if(r.size() != 1)
            return field_error(r, error::invalid_message_id, 1);
        if(auto d = detail::non_empty(r, 0))
            return *d;
        return client_id_line{std::string(r[0])};
    }
    if(*id >= 100)
    {
        auto line = detail::to_unsigned(r[1]);
        return data_row{*id, line, detail::copy_fields(r, line ? 2 : 1)};
    }
    switch(*id)
    {
    case 86:
    {
        auto a = detail::parse_advice(r);
        if(!a)
            return a.error();
        return *a;
    }
    case 87:
    {
        if(auto d = detail::arity(r, 3, 3)) return *d;
        auto count = detail::to_unsigned(r[1]);
        if(!count)
            return field_error(r, error::not_a_number, 2);
        if(auto d = detail::non_empty(r, 2)) return *d;
        return group_line{*count, std::string(r[2])};
    }
    case 88:
    {
        if(auto d = detail::arity(r, 2, 2)) return *d;
        auto batch = detail::to_unsigned(r[1]);
        if(!batch)
            return field_error(r, error::not_a_number, 2);
        return batch_line{*batch};
    }
    default:
        break;
    }
    if(!detail::is_status_code(*id))
        return unknown_line{*id, detail::copy_fields(r, 1)};
    status_line s{static_cast<std::uint32_t>(*id), std::nullopt, {}, {}};
    std::size_t next = 1;
    if(r.size() > 1 && *id != 20)
        if((s.line = detail::to_unsigned(r[1])))
            ++next;
    if(next < r.size())
        s.text = r[next++];
    s.extra = detail::copy_fields(r, next);
    return s;
}

// ------------------------------------------------------------------ encoding

/// Appends the line of a request to `out`.
inline void encode(std::string& out, request const& m)
{
    std::string batch;
    std::vector<std::string_view> f;
    std::visit(
        [&](auto const& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr(std::is_same_v<T, handshake_request>)
            {
                f = {"80"};
                if(v.reliable)
                    f.push_back("true");
            }
            else if constexpr(std::is_same_v<T, subscribe_request>)
            {
                f = {"81", v.client_id, v.channel};
                f.insert(f.end(), v.extra_xids.begin(), v.extra_xids.end());
            }
            else if constexpr(std::is_same_v<T, unsubscribe_request>)
                f = {"82", v.client_id, v.channel};
            else if constexpr(std::is_same_v<T, connect_request>)
            {
                f = {"83", v.client_id};
                if(v.batch)
                    f.push_back(batch = std::to_string(*v.batch));
            }
            else if constexpr(std::is_same_v<T, disconnect_request>)
                f = {"84", v.client_id};
            else
                f = {"15", v.xid};
        },
        m);
    encode_record(out, f);
}

/// The wire name of a reconnect policy.
inline std::string_view to_string(reconnect p) noexcept
{
    switch(p)
    {
    case reconnect::none: return "none";
    case reconnect::retry: return "retry";
    case reconnect::handshake: return "handshake";
    }
    return "none";
}

/// Appends the line of a reply to `out`.
inline void encode(std::string& out, reply const& m)
{
    // Owned texts for numbers; views of them and of the message go to encode_record.
    std::deque<std::string> owned;
    std::vector<std::string_view> f;
    auto num = [&](std::uint64_t n) { f.push_back(owned.emplace_back(std::to_string(n))); };
    auto opt = [&](std::optional<std::uint64_t> const& n) {
        if(n)
            num(*n);
        else
            f.push_back({});
    };
    std::visit(
        [&](auto const& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr(std::is_same_v<T, client_id_line>)
                f = {v.client_id};
            else if constexpr(std::is_same_v<T, advice_line>)
            {
                f = {"86", ""};
                opt(v.timeout);
                opt(v.interval);
                f.push_back(v.policy ? to_string(*v.policy) : std::string_view());
            }
            else if constexpr(std::is_same_v<T, group_line>)
            {
                f = {"87"};
                num(v.count);
                f.push_back(v.xid);
            }
            else if constexpr(std::is_same_v<T, batch_line>)
            {
                f = {"88"};
                num(v.batch);
            }
            else if constexpr(std::is_same_v<T, status_line>)
            {
                num(v.code);
                if(v.line)
                    num(*v.line);
                if(!v.text.empty() || !v.extra.empty())
                    f.push_back(v.text);
                f.insert(f.end(), v.extra.begin(), v.extra.end());
            }
            else if constexpr(std::is_same_v<T, data_row>)
            {
                num(v.msg_id);
                if(v.line)
                    num(*v.line);
                f.insert(f.end(), v.values.begin(), v.values.end());
            }
            else
            {
                num(v.msg_id);
                f.insert(f.end(), v.fields.begin(), v.fields.end());
            }
        },
        m);
    encode_record(out, f);
}

} // namespace rtnotify::smartrest

#endif
