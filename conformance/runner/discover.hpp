// rtnotify-conformance: probes a target before any case: what it offers and how long it holds a connect.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_DISCOVER_HPP
#define RTNOTIFY_CONFORMANCE_DISCOVER_HPP

#include "fixture.hpp"
#include "http.hpp"
#include "match.hpp"
#include "websocket.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rtnotify_conformance {

/// What the probe found.
struct discovery
{
    std::vector<std::string> features;         ///< offered, among `known_features`
    std::vector<std::string> connection_types; ///< the handshake reply's `supportedConnectionTypes`
    std::optional<std::chrono::milliseconds> advised_timeout; ///< its `advice.timeout`
    std::string version;                       ///< its `version`
    std::vector<std::string> findings;         ///< one line per feature: offered or not, and why

    /// True when `feature` is offered.
    bool offers(std::string_view feature) const
    {
        return std::find(features.begin(), features.end(), feature) != features.end();
    }
};

/// The template collection the probe's SmartREST handshake names, unless `--xid` gives one.
inline constexpr char const* smartrest_probe_xid = "rtnotify-conformance-probe";

namespace detail {

/// The successful `/meta/handshake` reply in `body`, or null.
inline json::object const* handshake_reply(json::value const& body)
{
    if(!body.is_array())
        return nullptr;
    for(auto const& m : body.as_array())
        if(auto const* o = m.if_object())
            if(auto const* c = o->if_contains("channel"); c && c->is_string() && c->as_string() == "/meta/handshake")
            {
                auto const* ok = o->if_contains("successful");
                return ok && ok->is_bool() && ok->as_bool() ? o : nullptr;
            }
    return nullptr;
}

/// A handshake the probe sent: what came back, and the successful handshake reply in it, if any.
struct handshake_attempt
{
    std::variant<reply, no_reply> got;
    std::optional<json::object> accepted;
};

/// Posts `body` as `content_type` to the target's path and looks for a successful handshake reply.
inline handshake_attempt attempt_handshake(target const& t, std::string const& content_type, std::string const& body,
                                           cookie_jar& jar, std::chrono::milliseconds limit)
{
    handshake_attempt a{exchange(t, "POST", t.path, {{"Content-Type", content_type}}, body, jar, limit), std::nullopt};
    if(auto const* r = std::get_if<reply>(&a.got); r && r->status == 200)
    {
        boost::system::error_code ec;
        auto const parsed = json::parse(r->body, ec);
        if(auto const* hs = ec ? nullptr : handshake_reply(parsed))
            a.accepted = *hs;
    }
    return a;
}

/// Ends the session a probe opened (best effort: it would expire anyway).
inline void leave(target const& t, json::object const& reply, cookie_jar& jar, std::chrono::milliseconds limit)
{
    if(auto const* id = reply.if_contains("clientId"); id && id->is_string())
        exchange(t, "POST", t.path, {{"Content-Type", "application/json"}},
                 json::serialize(json::array{json::object{{"channel", "/meta/disconnect"}, {"clientId", *id}}}), jar, limit);
}

/// `s` shortened as for any message, on one line (a refusal's HTML page included).
inline std::string one_line(std::string s)
{
    s = shorten(std::move(s));
    for(auto& c : s)
        if(c == '\r' || c == '\n')
            c = ' ';
    return s;
}

} // namespace detail

/** Probes `t` within `limit` per request: a Bayeux handshake (JSON, one
    asking for the acknowledgement extension, then one as a form), a
    WebSocket upgrade on the same path, and a SmartREST handshake (`80`)
    on `sr.realtime`. `templates` is offered with `smartrest` unless `sr`
    forbids registering. On a target that does not accept the JSON
    handshake, a message saying what came back instead.
*/
inline std::variant<discovery, std::string> discover(target const& t, smartrest_settings const& sr,
                                                     std::chrono::milliseconds limit)
{
    discovery d;
    cookie_jar jar;
    json::array const handshake{json::object{{"channel", "/meta/handshake"},
                                             {"version", "1.0"},
                                             {"supportedConnectionTypes", json::array{"long-polling", "callback-polling", "websocket"}}}};
    auto const text = json::serialize(handshake);
    auto const first = detail::attempt_handshake(t, "application/json", text, jar, limit);
    if(auto const* n = std::get_if<no_reply>(&first.got))
        return "no reply to a Bayeux handshake at " + t.url() + ": " + n->what +
               (n->timed_out ? " (--timeout-scale waits longer)" : "");
    auto const& r = std::get<reply>(first.got);
    if(!first.accepted)
        return "the target did not accept a Bayeux handshake at " + t.url() + ": status " + std::to_string(r.status) +
               (r.body.empty() ? "" : ", body: " + detail::one_line(r.body));
    auto const* hs = &*first.accepted;
    d.features.push_back("bayeux");
    if(auto const* types = hs->if_contains("supportedConnectionTypes"); types && types->is_array())
        for(auto const& x : types->as_array())
            if(x.is_string())
                d.connection_types.emplace_back(x.as_string());
    if(auto const* advice = hs->if_contains("advice"); advice && advice->is_object())
        if(auto const* timeout = advice->as_object().if_contains("timeout"); timeout && timeout->is_number())
        {
            auto const ms = timeout->to_number<double>();
            if(ms >= 0 && ms <= 3'600'000)
                d.advised_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
        }
    if(auto const* v = hs->if_contains("version"); v && v->is_string())
        d.version = v->as_string();
    std::string types;
    for(auto const& x : d.connection_types)
        types += (types.empty() ? "" : ", ") + x;
    d.findings.push_back("bayeux: a handshake succeeded (version " + (d.version.empty() ? "?" : d.version) +
                         ", connection types: " + (types.empty() ? "none named" : types) + ", advised timeout: " +
                         (d.advised_timeout ? std::to_string(d.advised_timeout->count()) + " ms" : "none") + ")");
    detail::leave(t, *hs, jar, limit);

    json::array const asking{json::object{{"channel", "/meta/handshake"},
                                          {"version", "1.0"},
                                          {"supportedConnectionTypes", json::array{"long-polling"}},
                                          {"ext", json::object{{"ack", true}}}}};
    auto const acked = detail::attempt_handshake(t, "application/json", json::serialize(asking), jar, limit);
    auto const* ext = acked.accepted ? acked.accepted->if_contains("ext") : nullptr;
    auto const* ack = ext && ext->is_object() ? ext->as_object().if_contains("ack") : nullptr;
    if(ack && ack->is_bool() && ack->as_bool())
    {
        d.features.push_back("ack");
        d.findings.push_back("ack: a handshake asking for the acknowledgement extension got ext.ack true");
    }
    else
        d.findings.push_back("ack: not offered (a handshake asking for the acknowledgement extension got no ext.ack true)");
    if(acked.accepted)
        detail::leave(t, *acked.accepted, jar, limit);

    if(std::find(d.connection_types.begin(), d.connection_types.end(), "callback-polling") != d.connection_types.end())
    {
        d.features.push_back("jsonp");
        d.findings.push_back("jsonp: callback-polling is a supported connection type");
    }
    else
        d.findings.push_back("jsonp: not offered (callback-polling is not a supported connection type)");

    auto const form = detail::attempt_handshake(t, "application/x-www-form-urlencoded", "message=" + detail::url_encode(text),
                                                jar, limit);
    if(form.accepted)
    {
        d.features.push_back("form");
        d.findings.push_back("form: a handshake posted as a form succeeded");
        detail::leave(t, *form.accepted, jar, limit);
    }
    else
    {
        auto const* fr = std::get_if<reply>(&form.got);
        d.findings.push_back("form: not offered (a handshake posted as a form got " +
                             (fr ? "status " + std::to_string(fr->status) : std::get<no_reply>(form.got).what) + ")");
    }

    ws_client ws;
    auto up = ws.open(t, t.path, jar, limit);
    auto const* ur = std::get_if<reply>(&up);
    if(ur && ur->status == 101)
    {
        d.features.push_back("websocket");
        d.findings.push_back("websocket: the upgrade succeeded");
        ws.close(limit);
    }
    else
        d.findings.push_back("websocket: not offered (the upgrade got " +
                             (ur ? "status " + std::to_string(ur->status) : std::get<no_reply>(up).what) + ")");

    auto const xid = sr.xid.value_or(smartrest_probe_xid);
    auto got = exchange(t, "POST", sr.realtime, {{"X-Id", xid}}, "80", jar, limit);
    auto const* srr = std::get_if<reply>(&got);
    auto const id = srr ? srr->body.substr(0, srr->body.find_first_of("\r\n")) : std::string();
    if(srr && srr->status == 200 && !id.empty() && id.find(',') == std::string::npos)
    {
        d.features.push_back("smartrest");
        d.findings.push_back("smartrest: a handshake (80) on " + sr.realtime + " with X-Id " + xid + " succeeded");
        exchange(t, "POST", sr.realtime, {{"X-Id", xid}}, "84," + id, jar, limit);
        if(sr.register_templates)
        {
            d.features.push_back("templates");
            d.findings.push_back("templates: offered with smartrest (each case registers its own collection, x<run>)");
        }
        else
            d.findings.push_back("templates: not offered (" +
                                 (sr.xid ? "--xid " + *sr.xid + ": the cases use that collection as it is"
                                         : std::string("--no-register")) +
                                 ")");
    }
    else
        d.findings.push_back("smartrest: not offered (a handshake (80) on " + sr.realtime + " got " +
                             (srr ? "status " + std::to_string(srr->status) + (srr->body.empty() ? "" : ": " + detail::one_line(srr->body))
                                  : std::get<no_reply>(got).what) +
                             ")");
    return d;
}

} // namespace rtnotify_conformance

#endif
