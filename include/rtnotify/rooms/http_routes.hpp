// Kuzzle 2's HTTP API: an HTTP request's method, URL, headers and body to the API request they name.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_HTTP_ROUTES_HPP
#define RTNOTIFY_ROOMS_HTTP_ROUTES_HPP

#include <rtnotify/detail/json_numbers.hpp>
#include <rtnotify/detail/percent.hpp>
#include <rtnotify/detail/utf8.hpp>
#include <rtnotify/rooms/api_failure.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

/// An HTTP request to Kuzzle's HTTP API, as it came from the network.
struct http_call
{
    std::string_view method;          ///< "GET", "POST", "PUT", "PATCH", "DELETE"
    std::string_view target;          ///< path and query string, percent-encoded
    std::string_view body;            ///< the request's body: a JSON object, or empty
    std::string_view authorization;   ///< the `Authorization` header: `Bearer <jwt>` carries the token
    std::string_view volatile_header; ///< the `X-Kuzzle-Volatile` header: a JSON object, or empty
};

/// One route: the method and URL pattern (`:name` takes a path segment as argument `name`) of an action.
struct http_route
{
    std::string_view verb;
    std::string_view url;
    std::string_view controller;
    std::string_view action;
};

/** The routes this server answers: those Kuzzle 2 documents for the actions
    `kuzzle_api` has (https://docs.kuzzle.io/core/2/api/controllers/),
    tried in this order (a literal segment such as `_search` comes before
    the `:_id` that would also take it).
*/
inline constexpr http_route kuzzle_http_routes[] = {
    {"GET", "/", "server", "info"},
    {"GET", "/_serverInfo", "server", "info"},
    {"GET", "/_now", "server", "now"},
    {"GET", "/_publicApi", "server", "publicApi"},
    {"POST", "/_login/:strategy", "auth", "login"},
    {"POST", "/_logout", "auth", "logout"},
    {"POST", "/_checkToken", "auth", "checkToken"},
    {"POST", "/_refreshToken", "auth", "refreshToken"},
    {"GET", "/users/_me", "auth", "getCurrentUser"},
    {"GET", "/_listSubscriptions", "realtime", "list"},
    {"POST", "/:index/:collection/_publish", "realtime", "publish"},
    {"POST", "/:index/:collection/_create", "document", "create"},
    {"POST", "/:index/:collection/_search", "document", "search"},
    {"GET", "/:index/:collection/_search", "document", "search"},
    {"POST", "/:index/:collection/_mCreate", "document", "mCreate"},
    {"PUT", "/:index/:collection/_mCreateOrReplace", "document", "mCreateOrReplace"},
    {"PUT", "/:index/:collection/_mReplace", "document", "mReplace"},
    {"PATCH", "/:index/:collection/_mUpdate", "document", "mUpdate"},
    {"PUT", "/:index/:collection/_mUpdate", "document", "mUpdate"},
    {"DELETE", "/:index/:collection/_mDelete", "document", "mDelete"},
    {"DELETE", "/:index/:collection/_query", "document", "deleteByQuery"},
    {"POST", "/:index/:collection/:_id/_create", "document", "create"},
    {"GET", "/:index/:collection/:_id/_exists", "document", "exists"},
    {"PUT", "/:index/:collection/:_id/_replace", "document", "replace"},
    {"PATCH", "/:index/:collection/:_id/_update", "document", "update"},
    {"PUT", "/:index/:collection/:_id/_update", "document", "update"},
    {"POST", "/:index/:collection/:_id/_upsert", "document", "upsert"},
    {"GET", "/:index/:collection/:_id", "document", "get"},
    {"PUT", "/:index/:collection/:_id", "document", "createOrReplace"},
    {"DELETE", "/:index/:collection/:_id", "document", "delete"},
};

/** `server:publicApi`'s answer: every route, as
    `{controller: {action: {controller, action, http: [{verb, url}]}}}`
    (what the Kuzzle SDKs' HTTP protocol builds its URLs from).
*/
inline boost::json::object kuzzle_public_api()
{
    boost::json::object api;
    for(auto const& r : kuzzle_http_routes)
    {
        auto& controller = api[r.controller];
        if(!controller.is_object())
            controller.emplace_object();
        auto& action = controller.as_object()[r.action];
        if(!action.is_object())
            action = {{"controller", r.controller}, {"action", r.action}, {"http", boost::json::array()}};
        action.as_object()["http"].as_array().push_back({{"verb", r.verb}, {"url", r.url}});
    }
    return api;
}

namespace detail {

/// Query arguments whose values are whole numbers, as a JSON request has them.
inline bool counts_something(std::string_view key) noexcept
{
    return key == "from" || key == "size" || key == "retryOnConflict";
}

/// `text` as an error message may show it: bytes outside printable ASCII percent-encoded.
inline std::string shown(std::string_view text)
{
    constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for(unsigned char c : text)
        if(c >= 0x20 && c < 0x7f)
            out.push_back(static_cast<char>(c));
        else
            out += {'%', digits[c >> 4], digits[c & 15]};
    return out;
}

/// `text` percent-decoded (`+` as a space too in a query), or empty when an escape is broken or the result is not UTF-8.
inline std::optional<std::string> percent_decoded_utf8(std::string_view text, bool query)
{
    auto out = rtnotify::detail::percent_decoded(text, query);
    for(std::string_view rest = out ? std::string_view(*out) : std::string_view(); !rest.empty();)
    {
        auto const n = rtnotify::detail::utf8_sequence_length(rest);
        if(n == 0)
            return std::nullopt;
        rest.remove_prefix(n);
    }
    return out;
}

/// A failed HTTP request in Kuzzle's terms: 400 `network.http.unexpected_error`.
inline api_failure http_failure(std::string const& what)
{
    return fail(400, "network.http.unexpected_error", "Caught an unexpected HTTP error: " + what);
}

/// The JSON object `text` (`what` names it in an error).
inline std::variant<boost::json::object, api_failure> json_object_of(std::string_view text, std::string_view what,
                                                                     std::size_t max_depth)
{
    boost::json::parse_options po;
    po.max_depth = max_depth;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec, {}, po);
    if(ec)
        return http_failure(std::string(what) + " is not JSON (" + ec.message() + ").");
    if(!v.is_object())
        return http_failure(std::string(what) + " is not a JSON object.");
    rtnotify::detail::restore_overflowed_zeros(v);
    return std::move(v.as_object());
}

/// The arguments `segments` (a path's, decoded) give by `route`, or nothing when it does not take them.
inline std::optional<boost::json::object> match(http_route const& route, std::vector<std::string> const& segments)
{
    boost::json::object args;
    std::string_view url = route.url.substr(1);
    std::size_t i = 0;
    while(!url.empty())
    {
        auto const slash = url.find('/');
        auto const part = url.substr(0, slash);
        url = slash == std::string_view::npos ? std::string_view() : url.substr(slash + 1);
        if(i == segments.size())
            return std::nullopt;
        auto const& segment = segments[i++];
        if(part.starts_with(':'))
        {
            if(segment.empty())
                return std::nullopt;
            args[part.substr(1)] = segment;
        }
        else if(part != segment)
            return std::nullopt;
    }
    if(i != segments.size())
        return std::nullopt;
    return args;
}

} // namespace detail

/** The Kuzzle API request (`controller`, `action`, arguments, `body`,
    `jwt`, `volatile`) that `call` makes, or why it makes none.

    - The route (`kuzzle_http_routes`) gives `controller` and `action`; its
      `:name` segments, percent-decoded, give arguments that win over the
      query string's.
    - Query arguments: `key=value` percent-decoded; a bare `key` is `true`
      (Kuzzle's flags: `?refresh&silent`), `from`, `size` and
      `retryOnConflict` are numbers when they are digits, anything else a
      string; the last of two with the same key counts. `searchBody` is the
      body of a `GET` search, as JSON. `controller`, `action`, `body`,
      `jwt` and `volatile` may not come from the query.
    - The body, when not empty, is a JSON object; `X-Kuzzle-Volatile` too.
    - `Authorization: Bearer <jwt>` gives `jwt`; other schemes are ignored
      (the request is anonymous), as Kuzzle does.

    Errors are Kuzzle's: `network.http.url_not_found` (404) for a method and
    path no route takes, `network.http.unsupported_verb` (400) for a method
    the API never takes, `network.http.unexpected_error` (400, saying what
    and where) for a broken escape, a path or query that is not UTF-8 once
    decoded, a broken body, volatile header or query. Messages show the
    bytes of a path outside printable ASCII percent-encoded.
    `max_json_depth` bounds the nesting of the body and of the headers' JSON.
*/
inline std::variant<boost::json::object, api_failure> kuzzle_request_of(http_call const& call,
                                                                        std::size_t max_json_depth = 64)
{
    constexpr std::string_view verbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    if(std::find(std::begin(verbs), std::end(verbs), call.method) == std::end(verbs))
        return fail(400, "network.http.unsupported_verb", "Unsupported HTTP verb \"" + detail::shown(call.method) + "\".");
    auto const question = call.target.find('?');
    auto const path = call.target.substr(0, question);
    auto const query = question == std::string_view::npos ? std::string_view() : call.target.substr(question + 1);
    if(!path.starts_with('/'))
        return fail(404, "network.http.url_not_found", "API URL not found: " + detail::shown(path) + ".");

    std::vector<std::string> segments; // "/" has none; a trailing "/" adds none
    for(std::string_view rest = path.substr(1); !rest.empty();)
    {
        auto const slash = rest.find('/');
        auto decoded = detail::percent_decoded_utf8(rest.substr(0, slash), false);
        if(!decoded)
            return detail::http_failure("a broken percent-escape or what is not UTF-8 in the path at byte " +
                                        std::to_string(rest.data() - call.target.data()) + ".");
        segments.push_back(std::move(*decoded));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }

    boost::json::object req;
    std::optional<boost::json::object> params;
    for(auto const& route : kuzzle_http_routes)
        if(route.verb == call.method && (params = detail::match(route, segments)))
        {
            req["controller"] = route.controller;
            req["action"] = route.action;
            break;
        }
    if(!params)
        return fail(404, "network.http.url_not_found",
                    "API URL not found: " + std::string(call.method) + " " + detail::shown(path) + ".");

    for(std::string_view rest = query; !rest.empty();)
    {
        auto const amp = rest.find('&');
        auto const pair = rest.substr(0, amp);
        auto const at = pair.data() - call.target.data();
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if(pair.empty())
            continue;
        auto const eq = pair.find('=');
        auto key = detail::percent_decoded_utf8(pair.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::optional<std::string>() : detail::percent_decoded_utf8(pair.substr(eq + 1), true);
        if(!key || (eq != std::string_view::npos && !value))
            return detail::http_failure("a broken percent-escape or what is not UTF-8 in the query at byte " +
                                        std::to_string(at) + ".");
        if(*key == "controller" || *key == "action" || *key == "body" || *key == "jwt" || *key == "volatile")
            return detail::http_failure("the query may not set \"" + *key + "\" (byte " + std::to_string(at) + ").");
        if(!value)
            req[*key] = true;
        else if(*key == "searchBody")
        {
            auto body = detail::json_object_of(*value, "the query's searchBody", max_json_depth);
            if(auto* f = std::get_if<api_failure>(&body))
                return std::move(*f);
            req["body"] = std::move(std::get<boost::json::object>(body));
        }
        else if(detail::counts_something(*key) && !value->empty() && value->size() <= 18 &&
                std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; }))
            req[*key] = std::stoull(*value);
        else
            req[*key] = *value;
    }
    for(auto& [key, value] : *params)
        req[key] = std::move(value);

    if(!call.body.empty())
    {
        auto body = detail::json_object_of(call.body, "the body", max_json_depth);
        if(auto* f = std::get_if<api_failure>(&body))
            return std::move(*f);
        req["body"] = std::move(std::get<boost::json::object>(body));
    }
    if(!call.volatile_header.empty())
    {
        auto vol = detail::json_object_of(call.volatile_header, "the X-Kuzzle-Volatile header", max_json_depth);
        if(auto* f = std::get_if<api_failure>(&vol))
            return std::move(*f);
        req["volatile"] = std::move(std::get<boost::json::object>(vol));
    }
    constexpr std::string_view bearer = "bearer ";
    if(auto const& a = call.authorization;
       a.size() > bearer.size() && std::equal(bearer.begin(), bearer.end(), a.begin(), [](char x, char y) {
           return x == (y >= 'A' && y <= 'Z' ? static_cast<char>(y - 'A' + 'a') : y);
       }))
        req["jwt"] = a.substr(bearer.size());
    return req;
}

} // namespace rtnotify::rooms

#endif
