// rtnotify-conformance: the fixture format, read from JSON with errors that name the field.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_FIXTURE_HPP
#define RTNOTIFY_CONFORMANCE_FIXTURE_HPP

#include <boost/json.hpp>
#include <boost/system/result.hpp>

#include <algorithm>
#include <cctype>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify_conformance {

namespace json = boost::json;

/// How binding a requirement is (RFC 2119): a MUST failing fails the case,
/// a SHOULD makes it non-strict, a MAY informational.
enum class level { must, should, may };

/// One HTTP request of a step; every string may hold `${var}`.
struct request
{
    std::string method;
    std::string path;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body; ///< `json`, `body` or `form`, `repeat` times
};

/// What a reply must look like; each part is optional.
struct expectation
{
    std::optional<unsigned> status;
    std::optional<std::string> content_type;   ///< media type, parameters ignored
    std::optional<json::value> json;           ///< a pattern (see match.hpp)
    std::optional<json::array> in_order;       ///< patterns that elements of the reply match in this order
    std::optional<json::array> none_of;        ///< patterns that no element of the reply matches
    std::optional<std::vector<std::string>> rows; ///< SmartREST line patterns, in order
    std::optional<std::string> body;           ///< the exact body
    std::optional<std::string> body_contains;
    std::vector<std::pair<std::string, std::string>> headers; ///< response header → a string pattern one of its values matches
    std::optional<std::string> min_elapsed_ms; ///< a number or `F*${var}` (0.8*${timeout})
    std::optional<std::string> max_elapsed_ms;
    std::optional<std::int64_t> no_reply_within_ms; ///< the reply must not come this soon
    bool closed = false;                       ///< WebSocket: the server closes it instead of replying
    std::vector<expectation> one_of;           ///< alternatives: meeting one is enough

    bool empty() const
    {
        return !status && !content_type && !json && !in_order && !none_of && !rows && !body && !body_contains && headers.empty() && !min_elapsed_ms &&
               !max_elapsed_ms && !no_reply_within_ms && !closed && one_of.empty();
    }

    /// True when this expectation, or one of its alternatives, needs an HTTP reply.
    bool http_only() const
    {
        return status || content_type || rows || body || !headers.empty() ||
               std::any_of(one_of.begin(), one_of.end(), [](auto const& e) { return e.http_only(); });
    }

    /// True when this expectation, or one of its alternatives, is a closed WebSocket.
    bool accepts_close() const
    {
        return closed || std::any_of(one_of.begin(), one_of.end(), [](auto const& e) { return e.accepts_close(); });
    }
};

/// One step: a request (perhaps left running), a wait, the end of a request
/// left running, a check of every message a client received so far
/// (`received`), or a WebSocket step (open, send and perhaps receive, receive, close).
struct step
{
    enum class kind { send, sleep, await, received, ws_open, ws_send, ws_receive, ws_close };
    kind what = kind::send;
    std::string client = "a";  ///< the logical client (one cookie jar and one WebSocket each)
    request req;               ///< ws_open: the path; ws_send: the text in `body`
    std::string async;         ///< send: the name to await it by (empty: awaited at once)
    bool reuse = false;        ///< send: on the client's persistent connection, which the server must keep open
    std::string sleep_ms;      ///< a number or `F*${var}` (`2.5*${timeout}`): scaled by the hold a target advised
    expectation expect;
    std::vector<std::pair<std::string, std::string>> capture; ///< variable → `/json/pointer` or `line:N[:F]`
    json::value source;        ///< the step as written (record mode rewrites its `expect`)
};

/// The features a fixture may require and a target may offer.
/// (`templates`: the cases may register SmartREST templates, which a tenant keeps.)
inline constexpr std::string_view known_features[] = {"ack", "bayeux", "form", "jsonp", "smartrest", "templates", "websocket"};

/// True when `name` is one of `known_features`.
inline bool is_known_feature(std::string_view name)
{
    return std::find(std::begin(known_features), std::end(known_features), name) != std::end(known_features);
}

/// `"name" (known: ...)`: a message naming an unknown feature and the known ones.
inline std::string unknown_feature_message(std::string_view name)
{
    std::string m = "unknown feature \"" + std::string(name) + "\" (known:";
    for(auto const k : known_features)
        m += (k == known_features[0] ? " " : ", ") + std::string(k);
    return m + ")";
}

/// True when `r` registers SmartREST templates: a POST to `${smartrest}` with a `10` or `11` line.
inline bool registers_templates(request const& r)
{
    if(r.method != "POST" || r.path != "${smartrest}")
        return false;
    for(std::size_t at = 0; at < r.body.size();)
    {
        auto const end = std::min(r.body.find('\n', at), r.body.size());
        auto const line = std::string_view(r.body).substr(at, end - at);
        if(line.starts_with("10,") || line.starts_with("11,"))
            return true;
        at = end + 1;
    }
    return false;
}

/// One case: `id` is its path below the fixtures folder, without `.json`.
struct fixture
{
    std::string id;
    std::string description;
    std::string spec;        ///< the section it checks: a key of the table of spec anchors
    std::string spec_title;  ///< that section's title and address, from the table (spec_table.hpp)
    std::string spec_url;
    std::string requirement; ///< the sentence it checks
    level lvl = level::must;
    bool binds_client = false; ///< the sentence binds the client: the case checks what the server does about it
    std::vector<std::string> requires_features; ///< e.g. smartrest, jsonp, form
    std::vector<step> steps;        ///< the prelude's steps first, then those the fixture writes out
    std::size_t prelude_steps = 0;  ///< how many of `steps` the prelude made
    json::object source;     ///< the file as read
};

/// A fixture that cannot be read: which field, what is wrong.
struct fixture_error
{
    std::string where;
    std::string what;
    std::string to_string() const { return where.empty() ? what : where + ": " + what; }
};

namespace detail {

inline std::optional<fixture_error> read_string(json::object const& o, std::string_view key, std::string const& where,
                                                std::string& out, bool required = false)
{
    auto const* v = o.if_contains(key);
    if(!v)
        return required ? std::optional(fixture_error{where, "missing \"" + std::string(key) + "\""}) : std::nullopt;
    if(!v->is_string())
        return fixture_error{where + "." + std::string(key), "must be a string"};
    out = std::string(v->as_string());
    return std::nullopt;
}

inline std::optional<fixture_error> read_ms(json::value const& v, std::string const& where, std::int64_t& out)
{
    if(!v.is_int64() && !v.is_uint64())
        return fixture_error{where, "must be a whole number of milliseconds"};
    out = v.to_number<std::int64_t>();
    if(out < 0 || out > 600000)
        return fixture_error{where, "must be between 0 and 600000"};
    return std::nullopt;
}

/// `form` as `application/x-www-form-urlencoded`.
inline std::string url_encode(std::string_view s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for(unsigned char c : s)
        if(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '$' || c == '{' || c == '}')
            out.push_back(static_cast<char>(c)); // `${var}` stays readable for substitution
        else
        {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    return out;
}

inline std::optional<fixture_error> read_expectation(json::value const& v, std::string const& where, expectation& e)
{
    if(!v.is_object())
        return fixture_error{where, "must be an object"};
    static constexpr std::string_view known[] = {"status",         "content_type",   "json",   "in_order",
                                                 "none_of",        "rows",           "body",   "body_contains",
                                                 "min_elapsed_ms", "max_elapsed_ms", "closed", "no_reply_within_ms",
                                                 "one_of",         "headers"};
    for(auto const& [k, x] : v.as_object())
    {
        auto const at = where + "." + std::string(k);
        if(std::find(std::begin(known), std::end(known), k) == std::end(known))
            return fixture_error{at, "unknown expectation"};
        if(k == "status")
        {
            if(!x.is_int64() || x.as_int64() < 100 || x.as_int64() > 599)
                return fixture_error{at, "must be an HTTP status (100-599)"};
            e.status = static_cast<unsigned>(x.as_int64());
        }
        else if(k == "json")
            e.json = x;
        else if(k == "closed")
        {
            if(!x.is_bool() || !x.as_bool())
                return fixture_error{at, "must be true"};
            e.closed = true;
        }
        else if(k == "one_of")
        {
            if(!x.is_array() || x.as_array().size() < 2)
                return fixture_error{at, "must be an array of two or more expectations"};
            for(std::size_t i = 0; i < x.as_array().size(); ++i)
            {
                expectation alt;
                if(auto f = read_expectation(x.as_array()[i], at + "[" + std::to_string(i) + "]", alt))
                    return f;
                e.one_of.push_back(std::move(alt));
            }
        }
        else if(k == "headers")
        {
            if(!x.is_object() || x.as_object().empty())
                return fixture_error{at, "must map header names to string patterns"};
            for(auto const& [name, pattern] : x.as_object())
            {
                if(!pattern.is_string())
                    return fixture_error{at + "." + std::string(name), "must be a string pattern"};
                e.headers.emplace_back(std::string(name), std::string(pattern.as_string()));
            }
        }
        else if(k == "in_order" || k == "none_of")
        {
            if(!x.is_array() || x.as_array().empty())
                return fixture_error{at, "must be a non-empty array of patterns"};
            (k == "in_order" ? e.in_order : e.none_of) = x.as_array();
        }
        else if(k == "rows")
        {
            if(!x.is_array())
                return fixture_error{at, "must be an array of strings"};
            e.rows.emplace();
            for(auto const& r : x.as_array())
            {
                if(!r.is_string())
                    return fixture_error{at, "must be an array of strings"};
                e.rows->emplace_back(r.as_string());
            }
        }
        else if(k == "no_reply_within_ms")
        {
            std::int64_t ms = 0;
            if(auto f = read_ms(x, at, ms))
                return f;
            e.no_reply_within_ms = ms;
        }
        else if(k == "min_elapsed_ms" || k == "max_elapsed_ms")
        {
            if(!x.is_string() && !x.is_number())
                return fixture_error{at, "must be a number or a string such as \"0.8*${timeout}\""};
            auto s = x.is_string() ? std::string(x.as_string()) : json::serialize(x);
            (k == "min_elapsed_ms" ? e.min_elapsed_ms : e.max_elapsed_ms) = std::move(s);
        }
        else
        {
            if(!x.is_string())
                return fixture_error{at, "must be a string"};
            auto s = std::string(x.as_string());
            (k == "content_type" ? e.content_type : k == "body" ? e.body : e.body_contains) = std::move(s);
        }
    }
    return std::nullopt;
}

/// The WebSocket fields of a step, if it has some: `websocket` (a path to
/// open), `ws_send` (JSON) or `ws_text` (text) to send, `ws_receive` or `ws_close` (true).
inline std::optional<fixture_error> read_ws_step(json::object const& o, std::string const& where, step& s)
{
    static constexpr std::string_view ws_keys[] = {"websocket", "ws_send", "ws_text", "ws_receive", "ws_close"};
    static constexpr std::string_view http_keys[] = {"get",     "post", "put",    "delete", "options", "head",
                                                     "headers", "json", "body",   "form",   "repeat",  "async",
                                                     "await",   "sleep_ms", "reuse"};
    std::string_view found;
    for(auto k : ws_keys)
        if(o.contains(k))
        {
            if(!found.empty())
                return fixture_error{where, "\"" + std::string(found) + "\" and \"" + std::string(k) + "\" exclude each other"};
            found = k;
        }
    if(found.empty())
        return std::nullopt;
    for(auto k : http_keys)
        if(o.contains(k))
            return fixture_error{where + "." + std::string(k), "not allowed in a WebSocket step"};
    auto const& v = o.at(found);
    auto const at = where + "." + std::string(found);
    if(found == "websocket")
    {
        if(!v.is_string())
            return fixture_error{at, "must be a path"};
        s.what = step::kind::ws_open;
        s.req.method = "GET";
        s.req.path = std::string(v.as_string());
    }
    else if(found == "ws_send")
    {
        s.what = step::kind::ws_send;
        s.req.body = json::serialize(v);
    }
    else if(found == "ws_text")
    {
        if(!v.is_string())
            return fixture_error{at, "must be a string"};
        s.what = step::kind::ws_send;
        s.req.body = std::string(v.as_string());
    }
    else
    {
        if(!v.is_bool() || !v.as_bool())
            return fixture_error{at, "must be true"};
        s.what = found == "ws_receive" ? step::kind::ws_receive : step::kind::ws_close;
    }
    return read_string(o, "client", where, s.client);
}

/// What a WebSocket step may expect: the status of its upgrade; of its messages, patterns and timing.
inline std::optional<fixture_error> check_ws_expectation(step const& s, std::string const& where)
{
    auto const& e = s.expect;
    auto const message_only = e.json || e.in_order || e.body_contains || e.min_elapsed_ms || e.max_elapsed_ms ||
                              e.no_reply_within_ms || e.closed || !e.one_of.empty();
    switch(s.what)
    {
    case step::kind::ws_open:
        if(message_only || e.content_type || e.rows || e.body)
            return fixture_error{where, "opening a WebSocket expects only a status (101 unless given)"};
        if(!s.capture.empty())
            return fixture_error{where, "captures come from messages, not from opening"};
        return std::nullopt;
    case step::kind::ws_send:
    case step::kind::ws_receive:
        if(e.http_only())
            return fixture_error{where, "messages expect json, in_order, body_contains, timing, no_reply_within_ms, closed or one_of"};
        if(!s.capture.empty() && e.empty() && s.what == step::kind::ws_send)
            return fixture_error{where, "a send that captures must expect something of the reply"};
        return std::nullopt;
    case step::kind::ws_close:
        if(!e.empty() || !s.capture.empty())
            return fixture_error{where, "closing expects nothing"};
        return std::nullopt;
    default:
        if(e.accepts_close())
            return fixture_error{where, "only a WebSocket can be closed"};
        return std::nullopt;
    }
}

inline std::optional<fixture_error> read_step(json::value const& v, std::string const& where, step& s)
{
    if(!v.is_object())
        return fixture_error{where, "must be an object"};
    auto const& o = v.as_object();
    s.source = v;
    static constexpr std::string_view methods[] = {"get", "post", "put", "delete", "options", "head"};
    static constexpr std::string_view known[] = {"client", "get", "post", "put", "delete", "options", "head",
                                                 "headers", "json", "body", "repeat", "form", "async", "reuse", "expect", "capture",
                                                 "sleep_ms", "await", "websocket", "ws_send", "ws_text", "ws_receive",
                                                 "ws_close", "received"};
    for(auto const& [k, x] : o)
        if(std::find(std::begin(known), std::end(known), k) == std::end(known))
            return fixture_error{where + "." + std::string(k), "unknown step field"};
    if(auto const* ms = o.if_contains("sleep_ms"))
    {
        s.what = step::kind::sleep;
        if(ms->is_string())
        {
            s.sleep_ms = std::string(ms->as_string());
            return std::nullopt; // checked when it is run, once its variables are known
        }
        std::int64_t n = 0;
        if(auto f = read_ms(*ms, where + ".sleep_ms", n))
            return f;
        s.sleep_ms = std::to_string(n);
        return std::nullopt;
    }
    if(auto const* who = o.if_contains("received"))
    {
        s.what = step::kind::received;
        if(!who->is_string())
            return fixture_error{where + ".received", "must name a client"};
        s.client = std::string(who->as_string());
        auto const* e = o.if_contains("expect");
        if(o.size() != 2 || !e)
            return fixture_error{where, "\"received\" takes an \"expect\" and nothing else"};
        if(auto f = read_expectation(*e, where + ".expect", s.expect))
            return f;
        auto const& x = s.expect;
        if(x.status || x.content_type || x.rows || x.body || x.body_contains || x.min_elapsed_ms || x.max_elapsed_ms ||
           x.no_reply_within_ms || x.closed || !x.one_of.empty())
            return fixture_error{where + ".expect", "what a client received is checked with json, in_order or none_of"};
        return std::nullopt;
    }
    if(auto f = read_ws_step(o, where, s))
        return f;
    bool const http = s.what == step::kind::send; // else a WebSocket step, read above
    if(http && o.contains("await"))
    {
        s.what = step::kind::await;
        if(auto f = read_string(o, "await", where, s.async))
            return f;
    }
    else if(http)
    {
        for(auto m : methods)
            if(auto const* p = o.if_contains(m))
            {
                if(!s.req.method.empty())
                    return fixture_error{where, "more than one method"};
                if(!p->is_string())
                    return fixture_error{where + "." + std::string(m), "must be a path"};
                s.req.method = std::string(m);
                for(auto& c : s.req.method)
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                s.req.path = std::string(p->as_string());
            }
        if(s.req.method.empty())
            return fixture_error{where, "needs a method (\"post\": PATH, ...), \"sleep_ms\" or \"await\""};
        int bodies = 0;
        if(auto const* j = o.if_contains("json"))
        {
            ++bodies;
            s.req.body = json::serialize(*j);
            s.req.headers.emplace_back("Content-Type", "application/json");
        }
        if(auto const* b = o.if_contains("body"))
        {
            ++bodies;
            if(!b->is_string())
                return fixture_error{where + ".body", "must be a string"};
            s.req.body = std::string(b->as_string());
        }
        if(auto const* f = o.if_contains("form"))
        {
            ++bodies;
            if(!f->is_object())
                return fixture_error{where + ".form", "must be an object of strings (or JSON values, sent as text)"};
            for(auto const& [k, x] : f->as_object())
            {
                if(!s.req.body.empty())
                    s.req.body += '&';
                s.req.body += url_encode(k) + '=' + url_encode(x.is_string() ? std::string(x.as_string()) : json::serialize(x));
            }
            s.req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        }
        if(bodies > 1)
            return fixture_error{where, "\"json\", \"body\" and \"form\" exclude each other"};
        if(auto const* r = o.if_contains("repeat"))
        {
            if(!r->is_int64() || r->as_int64() < 1 || r->as_int64() > 64 * 1024 * 1024 ||
               static_cast<std::size_t>(r->as_int64()) * s.req.body.size() > 64 * 1024 * 1024)
                return fixture_error{where + ".repeat", "must be a count from 1 that keeps the body within 64 MiB"};
            std::string body;
            body.reserve(s.req.body.size() * static_cast<std::size_t>(r->as_int64()));
            for(auto i = r->as_int64(); i > 0; --i)
                body += s.req.body;
            s.req.body = std::move(body);
        }
        if(auto const* h = o.if_contains("headers"))
        {
            if(!h->is_object())
                return fixture_error{where + ".headers", "must be an object of strings"};
            for(auto const& [k, x] : h->as_object())
            {
                if(!x.is_string())
                    return fixture_error{where + ".headers." + std::string(k), "must be a string"};
                std::erase_if(s.req.headers, [&, name = k](auto const& kv) {
                    return boost::json::string_view(kv.first) == name; // an explicit header wins
                });
                s.req.headers.emplace_back(std::string(k), std::string(x.as_string()));
            }
        }
        if(auto f = read_string(o, "async", where, s.async))
            return f;
        if(auto f = read_string(o, "client", where, s.client))
            return f;
        if(auto const* r = o.if_contains("reuse"))
        {
            if(!r->is_bool())
                return fixture_error{where + ".reuse", "must be true or false"};
            s.reuse = r->as_bool();
            if(s.reuse && !s.async.empty())
                return fixture_error{where + ".reuse", "a request on the persistent connection is awaited at once (no async)"};
        }
    }
    if(auto const* e = o.if_contains("expect"))
        if(auto f = read_expectation(*e, where + ".expect", s.expect))
            return f;
    if(!s.async.empty() && s.what == step::kind::send &&
       (s.expect.status || s.expect.json || !s.expect.one_of.empty() || s.expect.in_order || s.expect.none_of || s.expect.rows || s.expect.body || s.expect.body_contains))
        return fixture_error{where + ".expect", "a request left running is checked where it is awaited (only no_reply_within_ms here)"};
    if(auto const* c = o.if_contains("capture"))
    {
        if(!c->is_object())
            return fixture_error{where + ".capture", "must map variables to \"/json/pointer\" or \"line:N[:FIELD]\""};
        for(auto const& [k, x] : c->as_object())
        {
            if(!x.is_string())
                return fixture_error{where + ".capture." + std::string(k), "must be a string"};
            s.capture.emplace_back(std::string(k), std::string(x.as_string()));
        }
    }
    return check_ws_expectation(s, where + ".expect");
}

/** The steps a fixture's `prelude` stands for: for each entry
    `{"handshake": VAR, "client": C, "connect": true}` a long-polling
    handshake by client C (default `a`) that must succeed, its client id
    captured as VAR, then with `connect` a first connect that must succeed
    (advising a timeout of 0, so no server holds it).
*/
inline std::variant<json::array, fixture_error> prelude_steps(json::value const& v)
{
    if(!v.is_array() || v.as_array().empty())
        return fixture_error{"prelude", "must be a non-empty array of {\"handshake\": VAR, \"client\": C, \"connect\": true}"};
    json::array out;
    for(std::size_t i = 0; i < v.as_array().size(); ++i)
    {
        auto const where = "prelude[" + std::to_string(i) + "]";
        auto const* e = v.as_array()[i].if_object();
        if(!e)
            return fixture_error{where, "must be an object"};
        for(auto const& [k, x] : *e)
            if(k != "handshake" && k != "client" && k != "connect")
                return fixture_error{where + "." + std::string(k), "unknown prelude field"};
        auto const* var = e->if_contains("handshake");
        if(!var || !var->is_string() || var->as_string().empty())
            return fixture_error{where + ".handshake", "must name the variable that gets the client id"};
        auto const* client = e->if_contains("client");
        if(client && !client->is_string())
            return fixture_error{where + ".client", "must be a string"};
        auto const* connect = e->if_contains("connect");
        if(connect && !connect->is_bool())
            return fixture_error{where + ".connect", "must be true or false"};
        auto const who = client ? json::value(*client) : json::value("a");
        auto const id = "${" + std::string(var->as_string()) + "}";
        out.push_back(json::object{
            {"client", who},
            {"post", "${bayeux}/handshake"},
            {"json", json::array{json::object{
                         {"channel", "/meta/handshake"}, {"version", "1.0"}, {"supportedConnectionTypes", json::array{"long-polling"}}}}},
            {"capture", json::object{{var->as_string(), "/0/clientId"}}},
            {"expect", json::object{{"status", 200}, {"json", json::array{json::object{{"channel", "/meta/handshake"}, {"successful", true}}}}}}});
        if(connect && connect->as_bool())
            out.push_back(json::object{
                {"client", who},
                {"post", "${bayeux}/connect"},
                {"json", json::array{json::object{{"channel", "/meta/connect"},
                                                  {"clientId", id},
                                                  {"connectionType", "long-polling"},
                                                  {"advice", json::object{{"timeout", 0}}}}}},
                {"expect", json::object{{"status", 200},
                                        {"json", json::array{json::object{{"channel", "/meta/connect"}, {"successful", true}}, "${...}"}}}}});
    }
    return out;
}

} // namespace detail

/// Reads the fixture `id` from its JSON.
inline boost::system::result<fixture, fixture_error> parse_fixture(std::string id, json::value const& v)
{
    if(!v.is_object())
        return fixture_error{"", "a fixture is a JSON object"};
    auto const& o = v.as_object();
    fixture f;
    f.id = std::move(id);
    f.source = o;
    static constexpr std::string_view known[] = {"description", "spec", "requirement", "level", "binds", "requires",
                                                 "prelude",     "steps"};
    for(auto const& [k, x] : o)
        if(std::find(std::begin(known), std::end(known), k) == std::end(known))
            return fixture_error{std::string(k), "unknown field"};
    if(auto e = detail::read_string(o, "description", "", f.description, true))
        return *e;
    if(auto e = detail::read_string(o, "spec", "", f.spec, true))
        return *e;
    if(auto e = detail::read_string(o, "requirement", "", f.requirement, true))
        return *e;
    std::string lvl;
    if(auto e = detail::read_string(o, "level", "", lvl, true))
        return *e;
    if(lvl == "MUST")
        f.lvl = level::must;
    else if(lvl == "SHOULD")
        f.lvl = level::should;
    else if(lvl == "MAY")
        f.lvl = level::may;
    else
        return fixture_error{"level", "must be MUST, SHOULD or MAY"};
    std::string binds;
    if(auto e = detail::read_string(o, "binds", "", binds, true))
        return *e;
    if(binds != "server" && binds != "client")
        return fixture_error{"binds", "must be server or client"};
    f.binds_client = binds == "client";
    if(f.binds_client && f.lvl != level::may)
        return fixture_error{"level", "a requirement that binds the client leaves the server's answer open: MAY"};
    if(auto const* r = o.if_contains("requires"))
    {
        if(!r->is_array())
            return fixture_error{"requires", "must be an array of feature names"};
        for(auto const& x : r->as_array())
        {
            if(!x.is_string())
                return fixture_error{"requires", "must be an array of feature names"};
            if(!is_known_feature(x.as_string()))
                return fixture_error{"requires", unknown_feature_message(x.as_string())};
            f.requires_features.emplace_back(x.as_string());
        }
    }
    auto const* steps = o.if_contains("steps");
    if(!steps || !steps->is_array() || steps->as_array().empty())
        return fixture_error{"steps", "must be a non-empty array"};
    json::array all;
    if(auto const* p = o.if_contains("prelude"))
    {
        auto made = detail::prelude_steps(*p);
        if(auto const* e = std::get_if<fixture_error>(&made))
            return *e;
        all = std::get<json::array>(std::move(made));
        f.prelude_steps = all.size();
    }
    for(auto const& x : steps->as_array())
        all.push_back(x);
    std::vector<std::string> running;
    for(std::size_t i = 0; i < all.size(); ++i)
    {
        step s;
        auto const where = i < f.prelude_steps ? "prelude (step " + std::to_string(i) + ")"
                                               : "steps[" + std::to_string(i - f.prelude_steps) + "]";
        if(auto e = detail::read_step(all[i], where, s))
            return *e;
        if(s.what == step::kind::send && !s.async.empty())
        {
            if(std::find(running.begin(), running.end(), s.async) != running.end())
                return fixture_error{where + ".async", "\"" + s.async + "\" is already running"};
            running.push_back(s.async);
        }
        if(s.what == step::kind::await)
        {
            auto it = std::find(running.begin(), running.end(), s.async);
            if(it == running.end())
                return fixture_error{where + ".await", "no request \"" + s.async + "\" is running"};
            running.erase(it);
        }
        if(s.what == step::kind::send && registers_templates(s.req) &&
           std::find(f.requires_features.begin(), f.requires_features.end(), "templates") == f.requires_features.end())
            return fixture_error{where + ".body", "registers SmartREST templates (a 10 or 11 line), so the case must "
                                                  "require \"templates\""};
        f.steps.push_back(std::move(s));
    }
    if(!running.empty())
        return fixture_error{"steps", "\"" + running.front() + "\" is never awaited"};
    return f;
}

} // namespace rtnotify_conformance

#endif
