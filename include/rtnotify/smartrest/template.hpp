// SmartREST request (10) and response (11) templates and their parsing.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_TEMPLATE_HPP
#define RTNOTIFY_SMARTREST_TEMPLATE_HPP

#include <rtnotify/smartrest/detail/number.hpp>
#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/json_path.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::smartrest {

/// The type of a request-template parameter.
enum class param_type
{
    string_,   ///< `STRING`: any non-empty text
    unsigned_, ///< `UNSIGNED`: decimal digits
    integer,   ///< `INTEGER`: optional sign, decimal digits
    number,    ///< `NUMBER`: a decimal floating-point number
    date,      ///< `DATE`: an ISO 8601 date or date-time
    now,       ///< `NOW`: filled in by the server; the request line carries no value
};

/// The wire name of a parameter type (`STRING`, ...).
inline std::string_view to_string(param_type t) noexcept
{
    switch(t)
    {
    case param_type::string_: return "STRING";
    case param_type::unsigned_: return "UNSIGNED";
    case param_type::integer: return "INTEGER";
    case param_type::number: return "NUMBER";
    case param_type::date: return "DATE";
    case param_type::now: return "NOW";
    }
    return "STRING";
}

/// `10,id,method,uri,content,accept,placeholder,params,template`: builds a REST call from a request line.
struct request_template
{
    std::uint64_t msg_id = 0;
    std::string method; ///< GET, POST, PUT or DELETE
    std::string uri;
    std::string content_type;
    std::string accept;
    std::string placeholder;
    std::vector<param_type> params;
    std::string body;
};

/// `11,id,base,condition,value...`: renders JSON into data rows.
struct response_template
{
    std::uint64_t msg_id = 0;
    json_path base;              ///< an object, or an array giving one row per element
    json_path condition;         ///< must exist in the base object; empty: always
    bool has_condition = false;  ///< false when the condition field was empty
    std::vector<json_path> values;
};

/// Why a template line was refused: the code, the platform's `41` text, and the 1-based field at fault.
struct template_error
{
    error_code code;
    std::string message;   ///< what is wrong, in Cumulocity's words where it has some
    std::size_t field = 1; ///< 1-based field of the line at fault
};

/// Lets `result<T, template_error>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(template_error const& e, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(e.code, e.message), loc);
}

namespace detail {

inline template_error bad(error e, std::string message, std::size_t field)
{
    return {e, std::move(message), field};
}

// The message id of a template: unsigned, and at least 100 so it cannot
// be mistaken for a built-in message.
inline std::optional<std::uint64_t> template_id(std::string_view s) noexcept
{
    auto v = to_unsigned(s);
    if(v && *v < 100)
        return std::nullopt;
    return v;
}

inline std::size_t count_occurrences(std::string_view hay, std::string_view needle) noexcept
{
    std::size_t n = 0;
    for(auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + needle.size()))
        ++n;
    return n;
}

inline boost::system::result<json_path, template_error> template_path(std::string_view text, std::size_t field)
{
    auto p = parse_json_path(text);
    if(p)
        return std::move(*p);
    if(p.error() == error::json_path_list)
        return bad(error::json_path_list,
                   "Using JsonPath to refer to a list of objects is not allowed for SmartRest", field);
    if(p.error() == error::json_path_filter)
        return bad(error::json_path_filter, "Using Filters (?) in JsonPath is not allowed for SmartRest", field);
    return bad(error::bad_json_path, "Invalid JsonPath", field);
}

} // namespace detail

/** Validates a `10` record and makes the request template.

    Refusals carry the platform's `41` texts. Choices where the sources are
    silent: the id must be at least 100; the placeholder must occur in the
    URI and the template exactly once per parameter ("Bad pattern").
*/
inline boost::system::result<request_template, template_error> parse_request_template(record const& r)
{
    using detail::bad;
    if(r.size() < 8 || r.size() > 9 || r[0] != "10")
        return bad(error::bad_request_template, "Bad request template definition", r.size() < 8 ? r.size() + 1 : 1);
    request_template t;
    auto id = detail::template_id(r[1]);
    if(!id)
        return bad(error::invalid_message_id, "Not a valid message identifier for template creation", 2);
    t.msg_id = *id;
    t.method = r[2];
    t.uri = r[3];
    t.content_type = r[4];
    t.accept = r[5];
    t.placeholder = r[6];
    if(r.size() == 9)
        t.body = r[8];
    bool const reads = t.method == "GET" || t.method == "DELETE";
    if(!reads && t.method != "POST" && t.method != "PUT")
        return bad(error::bad_request_template, "Bad request template definition", 3);
    if(t.uri.empty())
        return bad(error::bad_request_template, "Bad request template definition", 4);
    if(reads && !t.content_type.empty())
        return bad(error::bad_request_template, "No content type supported for " + t.method + " templates.", 5);
    if(reads && !t.body.empty())
        return bad(error::bad_request_template, "No template string supported for " + t.method + " templates.", 9);
    if(!reads && t.content_type.empty())
        return bad(error::bad_request_template, "No content type found for " + t.method + " templates.", 5);
    if(!reads && t.body.empty())
        return bad(error::bad_request_template, "No template string found for " + t.method + " templates.", 9);
    std::string_view params = r[7];
    while(!params.empty())
    {
        auto const sp = params.find(' ');
        auto const word = params.substr(0, sp);
        params = sp == std::string_view::npos ? std::string_view() : params.substr(sp + 1);
        if(word.empty())
            continue;
        bool found = false;
        for(auto type : {param_type::string_, param_type::unsigned_, param_type::integer, param_type::number,
                         param_type::date, param_type::now})
            if(word == to_string(type))
            {
                t.params.push_back(type);
                found = true;
            }
        if(!found)
            return bad(error::bad_request_template, "Bad value type: " + std::string(word), 8);
    }
    if(!t.params.empty() && t.placeholder.empty())
        return bad(error::bad_request_template, "Values are only supported for templates with placeholder.", 7);
    if(!t.placeholder.empty() &&
       detail::count_occurrences(t.uri, t.placeholder) + detail::count_occurrences(t.body, t.placeholder) !=
           t.params.size())
        return bad(error::bad_request_template, "Bad pattern", 7);
    return t;
}

/// Validates a `11` record and makes the response template; refusals carry the `41` texts.
inline boost::system::result<response_template, template_error> parse_response_template(record const& r)
{
    using detail::bad;
    if(r.size() < 5 || r[0] != "11")
        return bad(error::bad_response_template, "Bad response template definition", r.size() < 5 ? r.size() + 1 : 1);
    response_template t;
    auto id = detail::template_id(r[1]);
    if(!id)
        return bad(error::invalid_message_id, "Not a valid message identifier for template creation", 2);
    t.msg_id = *id;
    auto base = detail::template_path(r[2], 3);
    if(!base)
        return base.error();
    t.base = std::move(*base);
    t.has_condition = !r[3].empty();
    auto cond = detail::template_path(r[3], 4);
    if(!cond)
        return cond.error();
    t.condition = std::move(*cond);
    for(std::size_t i = 4; i < r.size(); ++i)
    {
        auto v = detail::template_path(r[i], i + 1);
        if(!v)
            return v.error();
        t.values.push_back(std::move(*v));
    }
    return t;
}

} // namespace rtnotify::smartrest

#endif
