// The error codes of the SmartREST codec and their category.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_ERROR_HPP
#define RTNOTIFY_SMARTREST_ERROR_HPP

#include <rtnotify/error.hpp>

namespace rtnotify::smartrest {

using rtnotify::error_code;
using rtnotify::result;

/// Errors of the SmartREST codec.
enum class error
{
    // --- CSV dialect (condition::parse_error unless noted)

    /// A quoted field is still open at the end of the input.
    unterminated_quote = 1,

    /// Strict mode: a `"` inside an unquoted field.
    quote_in_unquoted_field,

    /// Strict mode: something other than blanks between a closing quote and the next `,` or end of line.
    text_after_closing_quote,

    /// The record is incomplete: feed more bytes (condition::need_more).
    need_more,

    /// A record has more fields than `decode_options::max_fields` (condition::limit_exceeded).
    too_many_fields,

    /// A record is longer than `decode_options::max_record_size` (condition::limit_exceeded).
    record_too_large,

    // --- typed messages (condition::protocol_error unless noted)

    /// The first field of a record is not an unsigned message id.
    invalid_message_id,

    /// A message has fewer fields than it requires.
    missing_field,

    /// A message has more fields than it allows.
    extra_field,

    /// A field that must be a number is not one.
    not_a_number,

    /// A field that must be non-empty is empty.
    empty_field,

    /// An `86` advice line names a policy other than none, retry, handshake.
    bad_reconnect_policy,

    /// The message id is valid but unknown in this direction (condition::unsupported).
    unknown_message,

    /// An `87` group announces more rows than follow it.
    short_group,

    // --- templates and JSONPath

    /// A `10` line breaks the request-template rules (see the 41 text for which).
    bad_request_template,

    /// A `11` line breaks the response-template rules (see the 41 text for which).
    bad_response_template,

    /// A JSONPath that is not well-formed.
    bad_json_path,

    /// A JSONPath that would select a list of values (`*`, `..`, slices, unions).
    json_path_list,

    /// A JSONPath with a filter expression (`?`).
    json_path_filter,

    /// A message id is registered twice in one collection.
    duplicate_message_id,

    /// The X-Id already has a template collection; it cannot be changed.
    collection_exists,

    /// No template collection is registered for this X-Id.
    unknown_xid,

    /// A request line does not fit its request template (a `45` error).
    bad_argument,

    /// A document has more records than `decode_options::max_records` (condition::limit_exceeded).
    too_many_records,
};

} // namespace rtnotify::smartrest

template<>
struct rtnotify::detail::error_traits<rtnotify::smartrest::error>
{
    static constexpr unsigned long long id = 0x5d2c71a9e04b83f6ull;
    static constexpr char const* name = "rtnotify.smartrest";

    static error_info info(smartrest::error e) noexcept
    {
        using smartrest::error;
        switch(e)
        {
        case error::unterminated_quote:       return {"unterminated quoted field", condition::parse_error};
        case error::quote_in_unquoted_field:  return {"quote inside an unquoted field", condition::parse_error};
        case error::text_after_closing_quote: return {"text after a closing quote", condition::parse_error};
        case error::need_more:                return {"incomplete record", condition::need_more};
        case error::too_many_fields:          return {"too many fields in a record", condition::limit_exceeded};
        case error::record_too_large:         return {"record too large", condition::limit_exceeded};
        case error::invalid_message_id:       return {"invalid message identifier", condition::protocol_error};
        case error::missing_field:            return {"missing field", condition::protocol_error};
        case error::extra_field:              return {"unexpected extra field", condition::protocol_error};
        case error::not_a_number:             return {"field is not a number", condition::protocol_error};
        case error::empty_field:              return {"field must not be empty", condition::protocol_error};
        case error::bad_reconnect_policy:     return {"bad reconnect policy", condition::protocol_error};
        case error::unknown_message:          return {"unknown message identifier", condition::unsupported};
        case error::short_group:              return {"fewer rows than the 87 line announced", condition::protocol_error};
        case error::bad_request_template:     return {"bad request template definition", condition::protocol_error};
        case error::bad_response_template:    return {"bad response template definition", condition::protocol_error};
        case error::bad_json_path:            return {"invalid JsonPath", condition::protocol_error};
        case error::json_path_list:           return {"JsonPath selects a list of values", condition::unsupported};
        case error::json_path_filter:         return {"JsonPath filters are not supported", condition::unsupported};
        case error::duplicate_message_id:     return {"duplicate message identifier", condition::protocol_error};
        case error::collection_exists:        return {"template collection already exists", condition::protocol_error};
        case error::unknown_xid:              return {"no template for this X-Id", condition::protocol_error};
        case error::bad_argument:             return {"request line does not fit its template", condition::protocol_error};
        case error::too_many_records:         return {"too many records", condition::limit_exceeded};
        }
        return {"unknown smartrest error", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<rtnotify::smartrest::error> : std::true_type
{
};

namespace rtnotify::smartrest {

/// Makes an error code from a SmartREST error value.
inline error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace rtnotify::smartrest

#endif
