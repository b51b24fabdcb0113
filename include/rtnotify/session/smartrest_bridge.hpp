// SmartREST 1.0 real-time as a sans-I/O adapter on the server engine: bodies in, bodies out.
// SPDX-License-Identifier: BSL-1.0
// One header because the bridge is one adapter: the lines it reads and the lines it writes for them are
// two halves of the same table (docs/session.md), kept side by side.
#ifndef RTNOTIFY_SESSION_SMARTREST_BRIDGE_HPP
#define RTNOTIFY_SESSION_SMARTREST_BRIDGE_HPP

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/session/ack.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/server.hpp>
#include <rtnotify/session/server_action.hpp>
#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/encode.hpp>
#include <rtnotify/smartrest/message.hpp>
#include <rtnotify/smartrest/registry.hpp>
#include <rtnotify/smartrest/render.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::session {

/// A response body the bridge made, for the exchange it answers.
struct smartrest_response
{
    exchange_id exchange = 0;
    std::string body;
};

/** SmartREST 1.0 real-time (`80`..`84`) on top of a `session::server`.

    A body of request lines posted with an `X-Id` goes to `receive`; its lines
    become one Bayeux batch for the server (`15,xid` switches the X-Id of the
    lines after it). The bridge routes the server's actions (`take_actions`):
    the reply to a request is rendered to lines, the rest is handed on.
    - `80` → the client id alone on its line;
    - `81`, `82`, `84` → nothing (an empty body) on success;
    - `83` → `88,<batch>` (reliable sessions, when it carries deliveries),
      then `86,,<timeout>,<interval>,<policy>`, then each delivery rendered
      through the response templates of the request's X-Id and of the extra
      X-Ids given on the `81` lines whose channel matches, in `87` groups
      when there is more than one X-Id;
    - a refused request → `86,,[timeout],[interval],<policy>` when the
      server gave advice, then `45,<line>,<Bayeux error>`; an unknown client
      id is therefore `86,,,0,handshake` and `45,<line>,402:<id>:Unknown client ID`;
    - a line that is not a real-time request → `43,<line>,Invalid message identifier`,
      `45,<line>,Wrong number of arguments` (too few or too many fields) or
      `42,<line>,<what is wrong>`; an `81` naming an X-Id without
      templates → `40,<line>,No template for this X-ID.`.
    `88` comes before `86` on purpose: the Cumulocity C SDK removes both
    lines by offsets computed before either removal, which is only right in
    that order.
*/
class smartrest_bridge
{
public:
    /// A bridge to `srv` keeping its templates in `templates`; both must outlive it.
    smartrest_bridge(server& srv, smartrest::registry& templates) : srv_(srv), templates_(templates) {}

    /** A real-time request body posted with `X-Id: xid` on `exchange`.

        `owner` and `authorization` (the request's HTTP `Authorization`
        header) are passed to `server::receive`: sessions are counted per
        owner, and a `80` handshake is authenticated by the server's policy.
        The response comes out of `take_actions`: at once when no line needed
        the server (errors only), otherwise when the server answers.
    */
    void receive(exchange_id exchange, std::string_view xid, std::string_view body, time_point now,
                 std::string_view owner = {}, std::string_view authorization = {})
    {
        exchange_state ex;
        std::vector<bayeux::message> batch;
        auto doc = smartrest::decode(body);
        if(!doc)
        {
            ex.lines.push_back({doc.error().line, line_kind::error, {}, {}, status(42, doc.error().line, doc.error().to_string())});
            ready_.push_back({exchange, conclude(ex, {})});
            return;
        }
        std::string current_xid(xid);
        std::uint64_t line = 0;
        for(auto const& r : *doc)
        {
            ++line;
            auto req = smartrest::parse_request(r);
            if(!req)
            {
                auto const code = req.error().code;
                auto const unknown = code == smartrest::error::unknown_message || code == smartrest::error::invalid_message_id;
                auto const arity = code == smartrest::error::missing_field || code == smartrest::error::extra_field;
                ex.lines.push_back({line, line_kind::error, {}, {},
                                    unknown ? status(43, line, "Invalid message identifier")
                                    : arity ? status(45, line, "Wrong number of arguments")
                                            : status(42, line, req.error().to_string())});
                continue;
            }
            std::visit([&](auto const& m) { add(ex, batch, line, current_xid, m); }, *req);
        }
        if(batch.empty())
        {
            ready_.push_back({exchange, conclude(ex, {})});
            return;
        }
        exchanges_[exchange] = std::move(ex);
        srv_.receive(exchange, std::move(batch), now, exchange_kind::request, owner, {}, authorization);
    }

    /** The response to a body posted with `X-Id: xid` on the template path.

        Template registration and lookup (`20`, `40`, `41` lines). A body
        that is no registration has nothing behind it here: each line is
        answered `43` (unknown message id) or, for a request template
        registered for `xid`, `50,<line>,501` (no platform to forward it
        to). `owner` is the client, which the registry counts collections by.
        An empty `xid` (no `X-Id` header) takes the X-Id from a first line
        `15,<X-Id>`, as the documentation of `15` asks; the lines after it
        keep their numbers in the answer.
    */
    std::string register_templates(std::string_view xid, std::string_view body, std::string_view owner)
    {
        return register_body(xid, body, owner, {});
    }

    /// `answer` with the line number of each row that has one (`4x,<line>,...`) moved down by `by`.
    static std::string renumber(std::string const& answer, std::size_t by)
    {
        if(by == 0)
            return answer;
        auto doc = smartrest::decode(answer);
        if(!doc)
            return answer;
        std::string out;
        for(auto const r : *doc)
        {
            std::vector<std::string_view> fields(r.fields.begin(), r.fields.end());
            std::string moved;
            std::uint64_t line = 0;
            if(fields.size() > 1 && fields[0].starts_with('4') &&
               std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), line).ec == std::errc())
            {
                moved = std::to_string(line + by);
                fields[1] = moved;
            }
            smartrest::encode_record(out, fields);
        }
        return out;
    }

    /** Takes the engine's actions and what the bridge answered itself.

        Responses to the exchanges `receive` opened are appended to
        `responses`, rendered; every other action goes to `others` for the
        caller (Bayeux transports, logs). A `session_closed` also drops what
        the bridge kept for that client.
    */
    void take_actions(std::vector<smartrest_response>& responses, std::vector<server_action>& others)
    {
        std::move(ready_.begin(), ready_.end(), std::back_inserter(responses));
        ready_.clear();
        srv_.take_actions(actions_);
        for(auto& a : actions_)
        {
            if(auto const* s = std::get_if<send>(&a); s && !s->push)
                if(auto it = exchanges_.find(s->exchange); it != exchanges_.end())
                {
                    auto ex = std::move(it->second);
                    exchanges_.erase(it);
                    std::vector<bayeux::message const*> in_order;
                    for_each_in_order(
                        *s, [&](bayeux::message const& m) { in_order.push_back(&m); },
                        [&](delivery const& d) { in_order.push_back(d.message.get()); });
                    responses.push_back({s->exchange, conclude(ex, in_order)});
                    continue;
                }
            if(auto const* c = std::get_if<session_closed>(&a))
                extra_xids_.erase(c->client_id);
            others.push_back(std::move(a));
        }
        actions_.clear();
    }

    /// The transport lost `exchange` before its response: forget the lines waiting for it.
    void close_exchange(exchange_id exchange)
    {
        exchanges_.erase(exchange);
        std::erase_if(ready_, [&](smartrest_response const& r) { return r.exchange == exchange; });
    }

    /// The number of exchanges waiting for the server's answer.
    std::size_t waiting() const noexcept { return exchanges_.size(); }

    /// The extra X-Ids `client_id` subscribed with, by channel.
    std::vector<std::pair<std::string, std::vector<std::string>>> const* extra_xids(std::string_view client_id) const
    {
        auto it = extra_xids_.find(std::string(client_id));
        return it == extra_xids_.end() ? nullptr : &it->second;
    }

private:
    // register_templates with decode options: the part after a 15 line is decoded without BOM skipping.
    std::string register_body(std::string_view xid, std::string_view body, std::string_view owner,
                              smartrest::decode_options const& opts)
    {
        std::string out;
        auto doc = smartrest::decode(body, opts);
        if(!doc)
        {
            smartrest::encode(out, smartrest::reply(status(42, doc.error().line, doc.error().to_string())));
            return out;
        }
        if(xid.empty())
        {
            if(doc->empty() || (*doc)[0].size() != 2 || (*doc)[0][0] != "15" || (*doc)[0][1].empty())
            {
                smartrest::encode(out, smartrest::reply(status(40, 1, "No X-Id: neither the header nor a first line 15 names one")));
                return out;
            }
            auto const named = std::string((*doc)[0][1]);
            if(doc->size() == 1)
                return register_body(named, {}, owner, opts);
            // lines are numbered by record, as everywhere in the bridge: the 15 line is the first;
            // the rest begins mid-body, where BOM bytes are field bytes
            auto rest = opts;
            rest.skip_bom = false;
            return renumber(register_body(named, body.substr((*doc)[1].offset), owner, rest), 1);
        }
        auto statuses = templates_.handle(xid, *doc, owner);
        if(statuses.empty())
        {
            auto const* c = templates_.find(xid);
            std::uint64_t line = 0;
            for(auto const r : *doc)
            {
                ++line;
                auto const req = smartrest::message_id(r);
                statuses.push_back(c && req && c->find_request(*req) ? status(50, line, "501")
                                                                     : status(43, line, "Invalid message identifier"));
            }
        }
        for(auto const& s : statuses)
            smartrest::encode(out, smartrest::reply(s));
        return out;
    }

    enum class line_kind
    {
        error,     ///< answered by the bridge
        handshake,
        subscribe,
        unsubscribe,
        connect,
        disconnect,
    };

    struct line_state
    {
        std::uint64_t line = 0;
        line_kind kind = line_kind::error;
        std::string xid;                     ///< connect: the X-Id whose templates render
        smartrest::subscribe_request sub;    ///< subscribe, unsubscribe: what was asked
        smartrest::status_line error;        ///< error: the line to answer
    };

    struct exchange_state
    {
        std::vector<line_state> lines;
    };

    static smartrest::status_line status(std::uint32_t code, std::uint64_t line, std::string text)
    {
        return {code, line, std::move(text), {}};
    }

    static bayeux::message meta(char const* channel, std::string const& client_id)
    {
        bayeux::message m;
        m.channel = channel;
        m.client_id = client_id;
        return m;
    }

    void add(exchange_state&, std::vector<bayeux::message>&, std::uint64_t, std::string& xid,
             smartrest::switch_xid const& m)
    {
        xid = m.xid;
    }

    void add(exchange_state& ex, std::vector<bayeux::message>& batch, std::uint64_t line, std::string const&,
             smartrest::handshake_request const& m)
    {
        bayeux::message h;
        h.channel = "/meta/handshake";
        h.version = "1.0";
        h.supported_connection_types = {"long-polling"};
        if(m.reliable)
            set_ext(h, ack_key, true);
        batch.push_back(std::move(h));
        ex.lines.push_back({line, line_kind::handshake, {}, {}, {}});
    }

    void add(exchange_state& ex, std::vector<bayeux::message>& batch, std::uint64_t line, std::string const& xid,
             smartrest::subscribe_request const& m)
    {
        if(!templates_.find(xid))
            return no_template(ex, line);
        for(auto const& x : m.extra_xids)
            if(!templates_.find(x))
                return no_template(ex, line);
        auto s = meta("/meta/subscribe", m.client_id);
        s.subscription = {m.channel};
        batch.push_back(std::move(s));
        ex.lines.push_back({line, line_kind::subscribe, {}, m, {}});
    }

    void add(exchange_state& ex, std::vector<bayeux::message>& batch, std::uint64_t line, std::string const&,
             smartrest::unsubscribe_request const& m)
    {
        auto s = meta("/meta/unsubscribe", m.client_id);
        s.subscription = {m.channel};
        batch.push_back(std::move(s));
        ex.lines.push_back({line, line_kind::unsubscribe, {}, {m.client_id, m.channel, {}}, {}});
    }

    void add(exchange_state& ex, std::vector<bayeux::message>& batch, std::uint64_t line, std::string const& xid,
             smartrest::connect_request const& m)
    {
        auto c = meta("/meta/connect", m.client_id);
        c.connection_type = "long-polling";
        if(m.batch)
            set_ext(c, ack_key, *m.batch);
        batch.push_back(std::move(c));
        ex.lines.push_back({line, line_kind::connect, xid, {}, {}});
    }

    void add(exchange_state& ex, std::vector<bayeux::message>& batch, std::uint64_t line, std::string const&,
             smartrest::disconnect_request const& m)
    {
        batch.push_back(meta("/meta/disconnect", m.client_id));
        ex.lines.push_back({line, line_kind::disconnect, {}, {}, {}});
    }

    static void no_template(exchange_state& ex, std::uint64_t line)
    {
        ex.lines.push_back({line, line_kind::error, {}, {}, status(40, line, "No template for this X-ID.")});
    }

    static std::optional<smartrest::reconnect> policy_of(bayeux::advice const& a)
    {
        switch(a.policy().value_or(bayeux::reconnect::retry))
        {
        case bayeux::reconnect::none: return smartrest::reconnect::none;
        case bayeux::reconnect::handshake: return smartrest::reconnect::handshake;
        case bayeux::reconnect::retry: break;
        }
        return a.reconnect ? std::optional(smartrest::reconnect::retry) : std::nullopt;
    }

    static void advice(std::string& out, bayeux::message const& r)
    {
        if(!r.advice)
            return;
        auto positive = [](std::optional<std::int64_t> v) -> std::optional<std::uint64_t> {
            if(v && *v >= 0)
                return static_cast<std::uint64_t>(*v);
            return std::nullopt;
        };
        smartrest::encode(out, smartrest::reply(smartrest::advice_line{positive(r.advice->timeout),
                                                                        positive(r.advice->interval),
                                                                        policy_of(*r.advice)}));
    }

    /** The response body for the lines of `ex`, from the messages the
        server sent (replies and deliveries, in order). Each successful reply
        also updates the extra X-Ids, before the lines after it are rendered.
    */
    std::string conclude(exchange_state const& ex, std::span<bayeux::message const* const> msgs)
    {
        std::string out;
        std::size_t next = 0;
        for(auto const& l : ex.lines)
        {
            if(l.kind == line_kind::error)
            {
                smartrest::encode(out, smartrest::reply(l.error));
                continue;
            }
            // the reply to this line, and (for a connect) the deliveries after it
            while(next < msgs.size() && !msgs[next]->successful)
                ++next;
            if(next == msgs.size())
                break;
            auto const& r = *msgs[next++];
            auto const first_delivery = next;
            while(next < msgs.size() && !msgs[next]->successful)
                ++next;
            if(*r.successful)
                apply(l, r);
            render_line(out, l, r, msgs.subspan(first_delivery, next - first_delivery));
        }
        return out;
    }

    /// Updates the extra X-Ids for line `l`, which the server accepted with reply `r`.
    void apply(line_state const& l, bayeux::message const& r)
    {
        switch(l.kind)
        {
        case line_kind::subscribe: remember(l.sub); break;
        case line_kind::unsubscribe: forget(l.sub); break;
        case line_kind::disconnect: extra_xids_.erase(r.client_id.value_or("")); break;
        case line_kind::handshake:
        case line_kind::connect:
        case line_kind::error: break;
        }
    }

    /// Appends the lines answering `l`, whose reply is `r`, followed by `deliveries` (a connect's).
    void render_line(std::string& out, line_state const& l, bayeux::message const& r,
                     std::span<bayeux::message const* const> deliveries) const
    {
        if(!*r.successful)
        {
            advice(out, r);
            smartrest::encode(out, smartrest::reply(status(45, l.line, r.error.value_or(""))));
            return;
        }
        if(l.kind == line_kind::handshake)
            smartrest::encode(out, smartrest::reply(smartrest::client_id_line{r.client_id.value_or("")}));
        else if(l.kind == line_kind::connect)
            render_connect(out, l, r, deliveries);
    }

    void render_connect(std::string& out, line_state const& l, bayeux::message const& r,
                        std::span<bayeux::message const* const> deliveries) const
    {
        if(!deliveries.empty())
            if(auto const b = ext_uint(r, ack_key))
                smartrest::encode(out, smartrest::reply(smartrest::batch_line{*b}));
        advice(out, r);
        auto const* own = templates_.find(l.xid);
        auto const it = extra_xids_.find(r.client_id.value_or(""));
        std::vector<smartrest::collection const*> collections;
        std::vector<std::string_view> labels; // each X-Id as the client named it (name or numeric id), for 87 lines
        for(auto const* d : deliveries)
        {
            collections.clear();
            labels.clear();
            if(own)
            {
                collections.push_back(own);
                labels.push_back(l.xid);
            }
            if(it != extra_xids_.end())
                for(auto const& [channel, xids] : it->second)
                    if(bayeux::matches(channel, d->channel))
                        for(auto const& x : xids)
                            if(auto const* c = templates_.find(x);
                               c && std::find(collections.begin(), collections.end(), c) == collections.end())
                            {
                                collections.push_back(c);
                                labels.push_back(x);
                            }
            if(d->data)
                smartrest::render_notification(out, collections, *d->data, l.line, labels);
        }
    }

    void remember(smartrest::subscribe_request const& s)
    {
        if(s.extra_xids.empty())
            return;
        auto& v = extra_xids_[s.client_id];
        std::erase_if(v, [&](auto const& e) { return e.first == s.channel; });
        v.emplace_back(s.channel, s.extra_xids);
    }

    void forget(smartrest::subscribe_request const& s)
    {
        if(auto it = extra_xids_.find(s.client_id); it != extra_xids_.end())
            std::erase_if(it->second, [&](auto const& e) { return e.first == s.channel; });
    }

    server& srv_;
    smartrest::registry& templates_;
    std::unordered_map<exchange_id, exchange_state> exchanges_;
    std::vector<smartrest_response> ready_;   ///< answered by the bridge alone, not yet taken
    std::vector<server_action> actions_;      ///< the engine's, being routed
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>> extra_xids_;
};

} // namespace rtnotify::session

#endif
