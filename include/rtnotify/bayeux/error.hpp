// The error codes of the Bayeux codec and their category.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_ERROR_HPP
#define RTNOTIFY_BAYEUX_ERROR_HPP

#include <rtnotify/error.hpp>

namespace rtnotify::bayeux {

using rtnotify::error_code;
using rtnotify::result;

/// Errors of the Bayeux codec.
enum class error
{
    /// The body is not JSON (condition::parse_error).
    not_json = 1,

    /// A message is not a JSON object, or the body is neither an object nor an array.
    not_object,

    /// A field has the wrong JSON type.
    wrong_type,

    /// A message has no `channel`.
    missing_channel,

    /// A field a message requires is missing.
    missing_field,

    /// A channel name or pattern breaks the grammar.
    invalid_channel,

    /// The body is larger than the limit (condition::limit_exceeded).
    body_too_large,

    /// The batch holds more messages than the limit (condition::limit_exceeded).
    too_many_messages,

    /// The JSON nests deeper than the limit (condition::limit_exceeded).
    too_deep,

    /// A JSON string is longer than the limit (condition::limit_exceeded).
    string_too_long,

    /// An HTTP request that carries no Bayeux messages the binding can read: its method,
    /// Content-Type, form or JSONP parameters (`read_http_request` says which, with the status).
    http_refused,
};

} // namespace rtnotify::bayeux

template<>
struct rtnotify::detail::error_traits<rtnotify::bayeux::error>
{
    static constexpr unsigned long long id = 0xb7e1a40c93d26f58ull;
    static constexpr char const* name = "rtnotify.bayeux";

    static error_info info(bayeux::error e) noexcept
    {
        using bayeux::error;
        switch(e)
        {
        case error::not_json:          return {"body is not JSON", condition::parse_error};
        case error::not_object:        return {"message is not a JSON object", condition::protocol_error};
        case error::wrong_type:        return {"field has the wrong type", condition::protocol_error};
        case error::missing_channel:   return {"message has no channel", condition::protocol_error};
        case error::missing_field:     return {"missing required field", condition::protocol_error};
        case error::invalid_channel:   return {"invalid channel", condition::protocol_error};
        case error::body_too_large:    return {"body too large", condition::limit_exceeded};
        case error::too_many_messages: return {"too many messages in a batch", condition::limit_exceeded};
        case error::too_deep:          return {"JSON nested too deeply", condition::limit_exceeded};
        case error::string_too_long:   return {"JSON string too long", condition::limit_exceeded};
        case error::http_refused:      return {"no readable Bayeux messages in the request", condition::protocol_error};
        }
        return {"unknown bayeux error", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<rtnotify::bayeux::error> : std::true_type
{
};

namespace rtnotify::bayeux {

/// Makes an error code from a Bayeux error value.
inline error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace rtnotify::bayeux

#endif
