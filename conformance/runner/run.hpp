// rtnotify-conformance: runs one case against a target and gives its verdict (or records it).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_RUN_HPP
#define RTNOTIFY_CONFORMANCE_RUN_HPP

#include "fixture.hpp"
#include "http.hpp"
#include "match.hpp"
#include "profile.hpp"
#include "substitute.hpp"
#include "websocket.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace rtnotify_conformance {

/// The outcome of a case (Autobahn's words): a failed MUST fails, a failed
/// SHOULD is non-strict (a failure with `--strict`), a failed MAY informational.
enum class verdict { pass, fail, non_strict, informational, skipped };

inline std::string_view to_string(verdict v)
{
    switch(v)
    {
    case verdict::pass: return "pass";
    case verdict::fail: return "fail";
    case verdict::non_strict: return "non-strict";
    case verdict::informational: return "informational";
    case verdict::skipped: return "skipped";
    }
    return "?";
}

/// How to run cases.
struct run_options
{
    rtnotify_conformance::target target;        ///< its path is `${bayeux}`
    smartrest_settings smartrest;               ///< `${smartrest}`, `${realtime}` and `${xid}`
    std::vector<std::string> features;          ///< what the target offers; a case needing more is skipped...
    std::vector<std::string> required;          ///< ...or fails, when it needs one of these
    profile const* recorded = nullptr;          ///< whose recorded verdicts apply (none: every case should pass)
    bool strict = false;                        ///< SHOULD failures fail
    bool record = false;                        ///< write what came back as the expectations
    double timeout_scale = 1.0;                 ///< scales every wait (slow targets)
    std::chrono::milliseconds request_limit{10000}; ///< a reply must come within this (scaled; see `limit_for`)
    std::size_t max_received_messages = 100000;       ///< kept per client for `received` steps; beyond, they fail
    std::size_t max_received_bytes = 64 * 1024 * 1024; ///< the same, in bytes of JSON text
};

/// One entry of a case's wire log.
struct wire_entry
{
    double at_ms = 0;    ///< since the case began
    std::string client;  ///< the logical client
    std::string kind;    ///< `sent`, `received` or `note`
    std::string text;    ///< a request or response (start line, headers, body), a WebSocket message, or what happened
};

/// What running a case gave.
struct case_result
{
    std::string id;
    verdict outcome = verdict::pass;
    std::string failure;             ///< the step and what differed
    std::string expected_by_profile; ///< the profile's recorded verdict ("pass" when it records none)
    std::string profile_note;
    double seconds = 0;
    bool refused = false;            ///< a connection to the target could not be opened (it may be down)
    std::vector<std::string> log;    ///< each step and its reply, shortened, for -v
    std::vector<wire_entry> wire;    ///< what went over the wire, whole (bodies up to `max_wire_body_bytes`)
    json::object recorded;           ///< record mode: the fixture with the expectations seen
};

namespace detail {

using outcome = std::variant<reply, no_reply>;

/// Every string in `v` with each captured value put back as `${var}`.
inline void unsubstitute(json::value& v, variables const& captured)
{
    if(v.is_string())
    {
        std::string s(v.as_string());
        for(auto const& [name, value] : captured)
            if(value.size() >= 4) // short values (a count, "true") would be replaced by chance
                for(auto at = s.find(value); at != std::string::npos; at = s.find(value, at + name.size() + 3))
                    s.replace(at, value.size(), "${" + name + "}");
        v = s;
    }
    else if(v.is_array())
        for(auto& x : v.as_array())
            unsubstitute(x, captured);
    else if(v.is_object())
        for(auto& [k, x] : v.as_object())
            unsubstitute(x, captured);
}

/// A token no other run of a case shares, for channel names (`/${run}/chat`).
inline std::string run_token()
{
    static std::atomic<unsigned> counter{0};
    static std::string const process = [] {
        std::random_device rd;
        std::string s;
        for(int i = 0; i < 6; ++i)
            s.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rd() % 36]);
        return s;
    }();
    return "run" + process + std::to_string(counter++);
}

/// The length of `v` as JSON text, counted without keeping the text.
inline std::size_t text_size(json::value const& v)
{
    json::serializer sr;
    sr.reset(&v);
    std::array<char, 4096> chunk;
    std::size_t n = 0;
    while(!sr.done())
        n += sr.read(chunk.data(), chunk.size()).size();
    return n;
}

class case_runner
{
public:
    case_runner(fixture const& f, run_options const& o) : f_(f), o_(o)
    {
        auto path = o.target.path;
        while(!path.empty() && path.back() == '/')
            path.pop_back();
        vars_["bayeux"] = path;
        vars_["run"] = run_token();
        vars_["smartrest"] = o.smartrest.path;
        vars_["realtime"] = o.smartrest.realtime;
        vars_["xid"] = o.smartrest.xid.value_or("x" + vars_["run"]);
        recorded_ = f.source;
    }

    case_result run()
    {
        case_result r;
        r.id = f_.id;
        auto const start = std::chrono::steady_clock::now();
        json::array recorded_steps;
        for(std::size_t i = 0; i < f_.steps.size() && failure_.empty(); ++i)
        {
            step_ = i;
            json::value rec = f_.steps[i].source;
            perform(f_.steps[i], rec);
            recorded_steps.push_back(std::move(rec));
        }
        running_.clear(); // waits (bounded) for requests still running
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.log = std::move(log_);
        r.wire = std::move(wire_);
        r.refused = refused_;
        if(o_.record)
        {
            recorded_["steps"] = std::move(recorded_steps); // the prelude's steps written out
            recorded_.erase("prelude");
            r.recorded = std::move(recorded_);
        }
        if(!failure_.empty())
        {
            r.failure = std::move(failure_);
            r.outcome = f_.lvl == level::must || (f_.lvl == level::should && o_.strict) ? verdict::fail
                        : f_.lvl == level::should                                       ? verdict::non_strict
                                                                                        : verdict::informational;
        }
        return r;
    }

private:
    std::chrono::milliseconds scaled(std::int64_t ms) const
    {
        return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(ms) * o_.timeout_scale));
    }

    void fail(std::string what)
    {
        if(!failure_.empty())
            return;
        failure_ = step_ < f_.prelude_steps ? "prelude step " + std::to_string(step_ + 1) + ": " + what
                                            : "step " + std::to_string(step_ - f_.prelude_steps + 1) + ": " + what;
    }

    std::optional<std::string> sub(std::string const& text)
    {
        std::string missing;
        auto s = substitute(text, vars_, &missing);
        if(!s)
            fail("variable ${" + missing + "} was never captured");
        return s;
    }

    void perform(step const& s, json::value& rec)
    {
        switch(s.what)
        {
        case step::kind::sleep:
        {
            auto const ms = milliseconds(s.sleep_ms, vars_);
            if(!ms || *ms < 0 || *ms > 600000)
                return fail("sleep_ms \"" + s.sleep_ms + "\" is not a time from 0 to 600000 ms");
            std::this_thread::sleep_for(scaled(static_cast<std::int64_t>(*ms)));
            log_.push_back("sleep " + std::to_string(static_cast<std::int64_t>(*ms)) + " ms (" + s.sleep_ms + ")");
            wire(s.client, "note", log_.back());
            return;
        }
        case step::kind::await:
        {
            auto it = running_.find(s.async);
            auto got = it->second.get();
            running_.erase(it);
            log_.push_back("await " + s.async);
            return check(s, got, rec, sent_by_[s.async]);
        }
        case step::kind::received:
        {
            auto const& all = received_[s.client];
            log_.push_back(s.client + " received " + std::to_string(all.size()) + " messages so far");
            if(overflowed_.contains(s.client))
                return fail("what " + s.client + " received outgrew what the runner keeps (" +
                            std::to_string(o_.max_received_messages) + " messages, " +
                            std::to_string(o_.max_received_bytes) + " bytes): it cannot be checked");
            reply r;
            r.body = json::serialize(all);
            json::value const v = all;
            if(auto d = compare(s.expect, r, &v, {}))
                fail("what " + s.client + " received: " + *d);
            return;
        }
        case step::kind::ws_open: return ws_open(s);
        case step::kind::ws_send: return ws_send(s, rec);
        case step::kind::ws_receive: return ws_receive(s, rec);
        case step::kind::ws_close: // the client may open another one after
            log_.push_back(s.client + ": close the WebSocket");
            wire(s.client, "note", "close the WebSocket");
            if(auto it = sockets_.find(s.client); it != sockets_.end())
            {
                it->second->close(scaled(o_.request_limit.count()));
                sockets_.erase(it);
            }
            return;
        case step::kind::send: break;
        }
        auto const path = sub(s.req.path);
        auto body = sub(s.req.body);
        auto headers = s.req.headers;
        for(auto& [k, v] : headers)
            if(auto x = sub(v))
                v = *x;
        if(!path || !body || !failure_.empty())
            return;
        auto& jar = jars_[s.client];
        auto const limit = s.expect.no_reply_within_ms && s.async.empty() ? scaled(*s.expect.no_reply_within_ms)
                                                                          : scaled(o_.request_limit.count());
        log_.push_back(s.client + ": " + s.req.method + " " + *path + (body->empty() ? "" : " " + detail::shorten(*body)));
        if(s.reuse)
        {
            auto& kept = kept_[s.client];
            if(kept && !kept->open())
                return fail("the server closed the persistent connection after the previous reply (Connection: close)");
            if(!kept)
                kept = std::make_unique<kept_connection>();
            auto got = kept->exchange(o_.target, s.req.method, *path, headers, *body, jar, limit);
            if(auto const* r = std::get_if<reply>(&got); r && r->reused)
                wire(s.client, "note", "sent on the persistent connection the previous reply came on");
            return check(s, got, rec, s.client);
        }
        auto call = [to = o_.target, method = s.req.method, target = *path, headers, body = *body, &jar, limit] {
            return exchange(to, method, target, headers, body, jar, limit);
        };
        if(!s.async.empty())
        {
            auto fut = std::async(std::launch::async, call);
            if(s.expect.no_reply_within_ms &&
               fut.wait_for(scaled(*s.expect.no_reply_within_ms)) == std::future_status::ready)
            {
                auto got = fut.get();
                wire_exchange(s.client, got);
                if(auto const* r = std::get_if<reply>(&got))
                {
                    fail("a reply came within " + std::to_string(*s.expect.no_reply_within_ms) + " ms (status " +
                         std::to_string(r->status) + ": " + detail::shorten(r->body) + ")");
                }
                else
                    fail(std::get<no_reply>(got).what);
                return;
            }
            running_.emplace(s.async, std::move(fut));
            sent_by_[s.async] = s.client;
            return;
        }
        check(s, call(), rec, s.client);
    }

    /// Checks what came back for `client` against the step's expectation.
    void check(step const& s, outcome const& got, json::value& rec, std::string const& client)
    {
        auto const& e = s.expect;
        wire_exchange(client, got);
        if(auto const* n = std::get_if<no_reply>(&got))
        {
            refused_ = refused_ || n->what.starts_with("connect to ");
            log_.push_back("  -> no reply (" + n->what + ")");
            if(e.no_reply_within_ms && s.async.empty() && n->timed_out)
                return; // as expected
            return fail(n->timed_out ? "no reply within " + std::to_string(scaled(o_.request_limit.count()).count()) +
                                           " ms (--timeout-scale waits longer)"
                                     : n->what);
        }
        auto const& r = std::get<reply>(got);
        log_.push_back("  -> " + std::to_string(r.status) + " " + r.content_type + " " + detail::shorten(r.body) + " (" +
                       std::to_string(static_cast<long>(r.elapsed_ms)) + " ms)");
        if(e.no_reply_within_ms && s.async.empty() && !o_.record)
            return fail("a reply came within " + std::to_string(*e.no_reply_within_ms) + " ms (status " +
                        std::to_string(r.status) + ")");
        boost::system::error_code ec;
        auto const parsed = json::parse(r.body, ec);
        json::value const* as_json = ec ? nullptr : &parsed;
        if(as_json)
            remember(client, *as_json);
        variables captured;
        for(auto const& [name, source] : s.capture)
        {
            auto v = capture(source, r.body, as_json);
            if(!v)
                return fail("capture " + name + ": nothing at " + source + " in " + detail::shorten(r.body));
            vars_[name] = *v;
            captured[name] = *v;
        }
        if(o_.record)
            return record(s, r, as_json, rec);
        if(auto d = compare(e, r, as_json, ec))
            fail(*d);
    }

    /// Where `r` differs from `e`; empty when it meets it.
    std::optional<std::string> compare(expectation const& e, reply const& r, json::value const* as_json,
                                       boost::system::error_code const& ec)
    {
        if(!e.one_of.empty())
        {
            std::string all;
            for(std::size_t i = 0; i < e.one_of.size(); ++i)
            {
                auto d = compare(e.one_of[i], r, as_json, ec);
                if(!d)
                    return std::nullopt;
                all += (i ? "; or " : "none of the alternatives: ") + *d;
            }
            return all;
        }
        if(e.closed)
            return "a message came where the server should close the WebSocket: " + detail::shorten(r.body);
        if(e.status && *e.status != r.status)
            return "status " + std::to_string(r.status) + ", expected " + std::to_string(*e.status) +
                   (r.body.empty() ? "" : " (body: " + detail::shorten(r.body) + ")");
        if(e.content_type && *e.content_type != r.content_type)
            return "Content-Type \"" + r.content_type + "\", expected \"" + *e.content_type + "\"";
        for(auto const& [name, pattern] : e.headers)
        {
            auto const values = header_values(r.head, name);
            bool const met = std::any_of(values.begin(), values.end(), [&, &pattern = pattern](std::string const& v) {
                return !match_json(json::value(pattern), json::value(v), vars_);
            });
            if(!met)
                return "no " + name + " header matching \"" + pattern + "\" (" +
                       (values.empty() ? std::string("none came") : "got \"" + detail::shorten(values.front()) + "\"") + ")";
        }
        std::string missing;
        auto text = [&](std::string const& pattern) { return substitute(pattern, vars_, &missing); };
        if(e.body)
        {
            auto want = text(*e.body);
            if(!want)
                return "variable ${" + missing + "} was never captured";
            if(*want != r.body)
                return "body \"" + detail::shorten(r.body) + "\", expected \"" + *want + "\"";
        }
        if(e.body_contains)
        {
            auto want = text(*e.body_contains);
            if(!want)
                return "variable ${" + missing + "} was never captured";
            if(r.body.find(*want) == std::string::npos)
                return "body \"" + detail::shorten(r.body) + "\" does not contain \"" + *want + "\"";
        }
        if((e.json || e.in_order || e.none_of) && !as_json)
            return "body is not JSON (" + ec.message() + "): " + detail::shorten(r.body);
        if(e.json)
            if(auto d = match_json(*e.json, *as_json, vars_))
                return d;
        if(e.in_order)
            if(auto d = match_in_order(*e.in_order, *as_json, vars_))
                return d;
        if(e.none_of)
            if(auto d = match_none_of(*e.none_of, *as_json, vars_))
                return d;
        if(e.rows)
            if(auto d = match_rows(*e.rows, r.body, vars_))
                return d;
        for(auto const* expr : {&e.min_elapsed_ms, &e.max_elapsed_ms})
        {
            if(!*expr)
                continue;
            bool const at_least = expr == &e.min_elapsed_ms;
            auto const ms = milliseconds(**expr, vars_);
            if(!ms)
                return "cannot read the timing bound \"" + **expr + "\"";
            if(at_least ? r.elapsed_ms < *ms : r.elapsed_ms > *ms * o_.timeout_scale)
                return "the reply came after " + std::to_string(static_cast<long>(r.elapsed_ms)) + " ms, expected " +
                       (at_least ? "at least " : "at most ") + std::to_string(static_cast<long>(*ms)) + " ms (" + **expr + ")";
        }
        return std::nullopt;
    }

    void ws_open(step const& s)
    {
        auto const path = sub(s.req.path);
        if(!path)
            return;
        log_.push_back(s.client + ": WebSocket " + *path);
        auto& ws = sockets_[s.client];
        if(ws)
            return fail("client " + s.client + " already has a WebSocket");
        ws = std::make_unique<ws_client>();
        auto const got = ws->open(o_.target, *path, jars_[s.client], scaled(o_.request_limit.count()));
        if(auto const* r = std::get_if<reply>(&got))
        {
            wire(s.client, "sent", r->sent);
            wire(s.client, "received", wire_text(r->head, r->body));
        }
        else
        {
            refused_ = refused_ || std::get<no_reply>(got).what.starts_with("connect to ");
            wire(s.client, "note", "WebSocket upgrade of " + *path + ": " + std::get<no_reply>(got).what);
        }
        if(auto const* n = std::get_if<no_reply>(&got))
            return fail(n->what);
        auto const& r = std::get<reply>(got);
        log_.push_back("  -> " + std::to_string(r.status) + (r.body.empty() ? "" : " " + detail::shorten(r.body)));
        auto const want = s.expect.status.value_or(101);
        if(r.status != want)
            fail("the upgrade got status " + std::to_string(r.status) + ", expected " + std::to_string(want) +
                 (r.body.empty() ? "" : " (body: " + detail::shorten(r.body) + ")"));
    }

    /// The client's open WebSocket, or null after failing the case.
    ws_client* socket_of(step const& s)
    {
        auto it = sockets_.find(s.client);
        if(it == sockets_.end() || !it->second || !it->second->is_open())
        {
            fail("client " + s.client + " has no open WebSocket (a step \"websocket\": PATH opens one)");
            return nullptr;
        }
        return it->second.get();
    }

    void ws_send(step const& s, json::value& rec)
    {
        auto const text = sub(s.req.body);
        auto* ws = socket_of(s);
        if(!text || !ws)
            return;
        log_.push_back(s.client + ": send " + detail::shorten(*text));
        wire(s.client, "sent", "WebSocket message: " + wire_text("", *text));
        sent_at_[s.client] = std::chrono::steady_clock::now();
        if(auto n = ws->send(*text, scaled(o_.request_limit.count())))
            return fail(n->what);
        if(!s.expect.empty()) // a send that expects nothing leaves its reply to a later step
            ws_receive(s, rec);
    }

    /// What a hostile server may make a receive hold, as for an HTTP body.
    static constexpr std::size_t max_collected = 64u << 20;

    /// Takes the client's messages until they meet the step's expectation:
    /// their JSON arrays (and objects) collected into one array, their texts
    /// joined by line breaks; timing is since the client's last send.
    void ws_receive(step const& s, json::value& rec)
    {
        auto* ws = socket_of(s);
        if(!ws)
            return;
        auto const& e = s.expect;
        auto const since = sent_at_.contains(s.client) ? sent_at_[s.client] : std::chrono::steady_clock::now();
        if(e.no_reply_within_ms) // kept as written in record mode
        {
            auto got = ws->receive(scaled(*e.no_reply_within_ms));
            if(auto const* text = std::get_if<std::string>(&got))
                return fail("a message came within " + std::to_string(*e.no_reply_within_ms) + " ms: " + detail::shorten(*text));
            if(auto const& n = std::get<no_reply>(got); !n.timed_out)
                return fail(n.what);
            log_.push_back("  -> no message (as expected)");
            return;
        }
        auto const limit = scaled(o_.request_limit.count());
        auto const until = std::chrono::steady_clock::now() + limit;
        json::array messages;
        reply r;
        std::optional<std::string> differs;
        bool closed = false; // record mode: the server closed the WebSocket instead
        for(;;)
        {
            auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            // record mode takes what comes until a quiet moment
            auto got = ws->receive(o_.record && !messages.empty() ? std::min(left, scaled(300)) : left);
            if(auto const* n = std::get_if<no_reply>(&got))
            {
                log_.push_back("  -> " + n->what);
                wire(s.client, "note", n->what);
                if(o_.record && (!n->timed_out || !messages.empty()))
                {
                    closed = messages.empty();
                    break;
                }
                if(!n->timed_out && e.accepts_close())
                    return; // as expected
                if(!r.body.empty() && differs)
                    return fail("after " + std::to_string(static_cast<long>(r.elapsed_ms)) + " ms: " + *differs);
                return fail(n->timed_out ? "no message within " + std::to_string(limit.count()) + " ms" : n->what);
            }
            auto& text = std::get<std::string>(got);
            r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
            log_.push_back("  -> " + detail::shorten(text) + " (" + std::to_string(static_cast<long>(r.elapsed_ms)) + " ms)");
            wire(s.client, "received", "WebSocket message: " + wire_text("", text));
            boost::system::error_code ec;
            auto v = json::parse(text, ec);
            if(!ec)
                remember(s.client, v);
            if(!ec && v.is_array())
                for(auto& m : v.as_array())
                    messages.push_back(std::move(m));
            else if(!ec)
                messages.push_back(std::move(v));
            r.body += (r.body.empty() ? "" : "\n") + text;
            if(r.body.size() > max_collected)
                return fail("more than " + std::to_string(max_collected >> 20) + " MiB of messages without meeting the expectation");
            if(o_.record)
                continue;
            json::value const all = messages;
            for(auto const& [name, source] : s.capture) // as for HTTP, patterns may use what the reply gives
                if(auto c = capture(source, r.body, &all))
                    vars_[name] = *c;
            differs = compare(e, r, messages.empty() ? nullptr : &all, ec);
            if(!differs)
                break;
        }
        json::value const all = std::move(messages);
        for(auto const& [name, source] : s.capture)
        {
            auto v = capture(source, r.body, &all);
            if(!v)
                return fail("capture " + name + ": nothing at " + source + " in " + detail::shorten(json::serialize(all)));
            vars_[name] = *v;
        }
        if(closed)
            rec.as_object()["expect"] = json::object{{"closed", true}};
        else if(o_.record)
            record(s, r, all.as_array().empty() ? nullptr : &all, rec);
    }

    /// Adds to the wire log.
    void wire(std::string const& client, char const* kind, std::string text)
    {
        auto const at = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began_).count();
        wire_.push_back({at, client, kind, std::move(text)});
    }

    /// Adds an HTTP exchange of `client` to the wire log: the request, then the response or why none came.
    void wire_exchange(std::string const& client, outcome const& got)
    {
        std::visit([&](auto const& x) { wire(client, "sent", x.sent); }, got);
        if(auto const* r = std::get_if<reply>(&got))
            wire(client, "received",
                 wire_text(r->head, r->body) + "\n(" + std::to_string(static_cast<long>(r->elapsed_ms)) + " ms)");
        else
            wire(client, "note", "no reply: " + std::get<no_reply>(got).what);
    }

    /// Keeps what `client` received (the elements of an array, else the
    /// value), for the `received` steps, up to `max_received_messages` and
    /// `max_received_bytes`; beyond, the client's `received` steps fail.
    void remember(std::string const& client, json::value const& v)
    {
        if(overflowed_.contains(client))
            return;
        auto& all = received_[client];
        auto& bytes = remembered_bytes_[client];
        auto const one = json::array{v};
        for(auto const& m : v.is_array() ? v.as_array() : one)
        {
            bytes += detail::text_size(m);
            if(all.size() == o_.max_received_messages || bytes > o_.max_received_bytes)
            {
                overflowed_.insert(client);
                wire(client, "note", "stopped keeping what this client receives: over " +
                                         std::to_string(o_.max_received_messages) + " messages or " +
                                         std::to_string(o_.max_received_bytes) + " bytes");
                return;
            }
            all.push_back(m);
        }
    }


    /// Record mode: `rec` gets the expectations of what came back.
    void record(step const& s, reply const& r, json::value const* as_json, json::value& rec)
    {
        json::object e;
        bool const websocket = s.what == step::kind::ws_send || s.what == step::kind::ws_receive;
        if(!websocket)
            e["status"] = r.status;
        if(!r.content_type.empty())
            e["content_type"] = r.content_type;
        variables mine = vars_;
        for(auto const* fixed : {"bayeux", "smartrest", "realtime"})
            mine.erase(fixed);
        mine["run"] = vars_.at("run");
        if(as_json && (as_json->is_array() || as_json->is_object()))
        {
            json::value j = *as_json;
            unsubstitute(j, mine);
            e["json"] = std::move(j);
        }
        else if(websocket)
        {
            json::value b(r.body);
            unsubstitute(b, mine);
            e["body_contains"] = std::move(b);
        }
        else if(!r.body.empty() && (r.content_type.starts_with("text/plain") || r.content_type.empty()))
        {
            json::value rows = json::array();
            for(auto const& l : body_lines(r.body))
                rows.as_array().emplace_back(l);
            unsubstitute(rows, mine);
            e["rows"] = std::move(rows);
        }
        else if(!r.body.empty())
        {
            json::value b(r.body);
            unsubstitute(b, mine);
            e["body"] = std::move(b);
        }
        for(auto const* keep : {"in_order", "min_elapsed_ms", "max_elapsed_ms", "no_reply_within_ms"})
            if(auto const* old = s.source.as_object().if_contains("expect"))
                if(auto const* v = old->as_object().if_contains(keep))
                    e[keep] = *v;
        rec.as_object()["expect"] = std::move(e);
    }

    fixture const& f_;
    run_options const& o_;
    variables vars_;
    std::map<std::string, cookie_jar> jars_;
    std::map<std::string, std::unique_ptr<ws_client>> sockets_;
    std::map<std::string, std::unique_ptr<kept_connection>> kept_; ///< each client's persistent connection (`reuse`)
    std::map<std::string, std::chrono::steady_clock::time_point> sent_at_;
    std::map<std::string, std::future<outcome>> running_;
    std::map<std::string, std::string> sent_by_; // the client of each request left running
    std::map<std::string, json::array> received_; // every JSON message each client received
    std::map<std::string, std::size_t> remembered_bytes_; // the JSON text of `received_`, per client
    std::set<std::string> overflowed_;                    // clients whose `received_` stopped growing
    std::vector<std::string> log_;
    std::vector<wire_entry> wire_;
    bool refused_ = false;
    std::chrono::steady_clock::time_point const began_ = std::chrono::steady_clock::now();
    std::string failure_;
    std::size_t step_ = 0;
    json::object recorded_;
};

} // namespace detail

/// How long to wait for a reply when the target advises holding connects
/// for `advised` (none: 10 s): that long plus a quarter of it (at least 5 s),
/// and at least 10 s.
inline std::chrono::milliseconds limit_for(std::optional<std::chrono::milliseconds> advised)
{
    auto const held = advised.value_or(std::chrono::milliseconds(0));
    return std::max(std::chrono::milliseconds(10000), held + std::max(held / 4, std::chrono::milliseconds(5000)));
}

/// Runs `f` against `o.target`: its verdict, what failed, and what its profile expected.
inline case_result run_case(fixture const& f, run_options const& o)
{
    case_result r;
    auto const missing = std::find_if(f.requires_features.begin(), f.requires_features.end(), [&](auto const& need) {
        return std::find(o.features.begin(), o.features.end(), need) == o.features.end();
    });
    auto const expected = o.recorded ? o.recorded->expected(f) : std::string("pass");
    auto const note = o.recorded ? o.recorded->note(f.id) : std::string();
    if(missing != f.requires_features.end())
    {
        r.id = f.id;
        bool const required = std::find(o.required.begin(), o.required.end(), *missing) != o.required.end();
        r.outcome = required ? verdict::fail : verdict::skipped;
        r.failure = "not offered: " + *missing + (required ? " (--require " + *missing + ")" : "");
    }
    else if(expected == "skipped" && !note.empty())
    {
        r.id = f.id;
        r.outcome = verdict::skipped;
        r.failure = note;
    }
    else
        r = detail::case_runner(f, o).run();
    r.expected_by_profile = expected;
    r.profile_note = note;
    return r;
}

} // namespace rtnotify_conformance

#endif
