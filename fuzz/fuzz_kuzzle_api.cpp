// Fuzz target for the Kuzzle API over filter rooms.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a program: up to 4 connections send requests (raw bytes, or
// requests of every controller and action built from a small vocabulary so
// that filters, documents and rooms often meet) and close. Properties:
// - every text sent gets exactly one response, addressed to the sender,
//   echoing its `requestId`, with a status and either a result or an error
//   with a message; before it come only "pending" notifications, and those
//   only when they are enabled (the first byte's top bit);
// - every text handed out is JSON, and goes to a connection that is
//   subscribed to something (or is the sender);
// - the document count follows the documents each successful write says it
//   created or deleted (single, m* and deleteByQuery);
// - once every connection closed, no room is left.
// HTTP requests (Kuzzle 2's routes with generated arguments, or raw methods,
// targets, bodies and headers) also get one answer: a JSON response whose
// status is the HTTP status; their notifications go to subscribed
// connections and their writes count in the documents.
// As a node of a cluster, the api also hears the presence of other nodes'
// connections in its rooms (changes and snapshot parts, built or raw):
// their user notifications go to subscribed connections with the count of
// every node, the counts kept stay within their bounds, and what the api
// writes for the other nodes reads back. Other nodes' document changes are
// stored within the store's limits, and notify only subscribed connections.
#include <rtnotify/rooms/kuzzle_api.hpp>
#include <rtnotify/rooms/presence_json.hpp>

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
namespace rooms = rtnotify::rooms;
using rtnotify_fuzz::check;
using rtnotify_fuzz::input;

namespace {

char const* const ids[] = {"a", "b", "c", ""};
char const* const collections[] = {"items", "users"};
char const* const scopes[] = {"all", "in", "out", "none", "bad"};
char const* const user_modes[] = {"all", "in", "out", "none"};
char const* const states[] = {"done", "pending", "all", "bad"};
char const* const actions[] = {"create",  "replace",          "update",   "delete",  "get",     "publish",
                               "count",   "list",             "nope",     "exists",  "createOrReplace", "upsert",
                               "mCreate", "mCreateOrReplace", "mReplace", "mUpdate", "mDelete", "deleteByQuery",
                               "search"};

char const* const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
char const* const query_args[] = {"", "?refresh", "?_id=a", "?silent&source", "?from=1&size=2", "?size=x",
                                  "?searchBody=%7B%22query%22%3A%7B%7D%7D", "?a=%zz", "?controller=auth"};
char const* const authorizations[] = {"", "Bearer a.b.c", "Basic YTpi", "Bearer "};
char const* const nodes[] = {"x", "y", "z"};

json::value filter(input& in)
{
    switch(in.byte() % 6)
    {
    case 0: return json::object{};
    case 1: return {{"equals", {{"n", in.byte() % 3}}}};
    case 2: return {{"range", {{"n", {{"lt", in.byte() % 4}}}}}};
    case 3: return {{"exists", "tag"}};
    case 4: return {{"not", {{"equals", {{"tag", "x"}}}}}};
    default: return {{"bogus", 1}};
    }
}

json::object body(input& in)
{
    json::object b;
    if(in.byte() % 2)
        b["n"] = in.byte() % 4;
    if(in.byte() % 3 == 0)
        b["tag"] = in.byte() % 2 ? "x" : "y";
    if(in.byte() % 4 == 0)
        b["deep"] = {{"n", in.byte() % 2}};
    return b;
}

json::object request(input& in, std::vector<std::string> const& rooms_seen, std::string const& request_id)
{
    json::object r{{"index", "shop"}, {"collection", in.pick(collections)}, {"requestId", request_id}};
    auto room = [&]() -> json::value {
        if(rooms_seen.empty() || in.byte() % 8 == 0)
            return "no-such-room";
        return json::value(rooms_seen[in.byte() % rooms_seen.size()]);
    };
    auto const k = in.byte() % 4;
    if(k == 0)
    {
        r["controller"] = "realtime";
        r["action"] = "subscribe";
        r["body"] = filter(in);
        r["scope"] = in.pick(scopes);
        r["users"] = in.pick(user_modes);
        if(in.byte() % 2)
            r["state"] = in.pick(states);
    }
    else if(k == 1)
    {
        static char const* const room_actions[] = {"join", "unsubscribe", "count"};
        r["controller"] = "realtime";
        r["action"] = in.pick(room_actions);
        r["body"] = {{"roomId", room()}};
    }
    else
    {
        std::string const action = in.pick(actions);
        r["controller"] = action == "publish" || action == "count" || action == "list" ? "realtime" : "document";
        r["action"] = action;
        if(std::string id = in.pick(ids); !id.empty())
            r["_id"] = id;
        if(in.byte() % 8 != 0)
            r["body"] = action == "upsert" && in.byte() % 4 != 0 ? json::object{{"changes", body(in)}, {"default", body(in)}}
                                                                 : body(in);
        if(action == "count")
            r["body"] = {{"roomId", room()}};
        if(action == "mDelete")
        {
            json::array some;
            for(auto n = in.byte() % 4; n > 0; --n)
                some.push_back(json::value(in.pick(ids)));
            r["body"] = {{"ids", std::move(some)}};
        }
        else if(action.starts_with('m'))
        {
            json::array documents;
            for(auto n = in.byte() % 4; n > 0; --n)
            {
                json::object d{{"body", body(in)}};
                if(std::string id = in.pick(ids); !id.empty())
                    d["_id"] = id;
                documents.push_back(std::move(d));
            }
            r["body"] = {{"documents", std::move(documents)}};
        }
        else if(action == "deleteByQuery" || action == "search")
        {
            r["body"] = {{"query", filter(in)}};
            if(in.byte() % 4 == 0)
                r["from"] = in.byte() % 3;
            if(in.byte() % 4 == 0)
                r["size"] = in.byte() % 3;
        }
        if(in.byte() % 8 == 0)
            r[in.byte() % 2 ? "silent" : "source"] = true;
    }
    if(in.byte() % 8 == 0)
        r["volatile"] = {{"who", "fuzz"}};
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    input in{data, size};
    rooms::kuzzle_api_options opts;
    opts.max_subscriptions = 4;
    opts.max_documents = 8;
    opts.max_documents_per_write = 3;
    opts.pending_notifications = size > 0 && (data[0] & 0x80) != 0;
    opts.keep_changes = true;
    opts.presence_interval_ms = 1000;
    opts.remote_counts = {4, 4096, 2};
    rooms::kuzzle_api api(opts);
    std::set<rooms::connection_id> subscribed; // connections that ever subscribed since they last closed
    std::vector<std::string> rooms_seen;
    std::size_t documents = 0;
    std::int64_t now = 1000;

    // what a successful write of `action` answered with `r` did to the number of documents
    auto account = [&](std::string_view action, json::object const& r) {
        if(action == "create" || ((action == "createOrReplace" || action == "upsert") && r.at("result").at("created") == true))
            ++documents;
        if(action == "delete")
            --documents;
        if(action == "mCreate" || action == "mCreateOrReplace")
            for(auto const& d : r.at("result").at("successes").as_array())
                documents += d.at("created") == true;
        if(action == "mDelete")
            documents -= r.at("result").at("successes").as_array().size();
        if(action == "deleteByQuery")
            documents -= r.at("result").at("documents").as_array().size();
        if(action == "search")
            check(r.at("result").at("hits").as_array().size() <= r.at("result").at("total").to_number<std::uint64_t>());
    };

    auto check_texts = [&](std::vector<rooms::outgoing> const& out, std::size_t first) {
        for(std::size_t i = first; i < out.size(); ++i)
        {
            check(out[i].text != nullptr);
            boost::system::error_code ec;
            json::parse(*out[i].text, ec);
            check(!ec);
            check(subscribed.contains(out[i].to));
        }
    };

    // another node's presence in a room: the user notifications carry every node's count
    auto hear = [&](rooms::presence_change const& c) {
        auto const out = api.apply_remote_presence(c, now);
        check_texts(out, 0);
        auto const total = api.rooms().count(c.room_id).value_or(0) + api.remote().total(c.room_id);
        for(auto const& o : out)
        {
            auto const n = json::parse(*o.text);
            check(n.at("type") == "user" && n.at("result").at("count") == total, "a remote user notification counts every node",
                  *o.text);
        }
    };

    for(int step = 0; step < 64 && !in.empty(); ++step)
    {
        rooms::connection_id const conn = in.byte() % 4 + 1;
        now += in.byte();
        (void)api.take_changes();
        for(auto const& t : api.take_presence(now))
            check(!std::holds_alternative<std::string>(rooms::read_presence(t)), "what the api writes for the other nodes reads back",
                  t);
        auto const& limits = opts.remote_counts;
        check(api.remote().entries() <= limits.max_entries && api.remote().bytes() <= limits.max_bytes &&
                  api.remote().nodes() <= limits.max_nodes,
              "the other nodes' counts within their bounds");
        auto const what = in.byte() % 16;
        if(what == 3)
        {
            auto const room = rooms_seen.empty() || in.byte() % 4 == 0 ? std::string(32, 'f')
                                                                        : rooms_seen[in.byte() % rooms_seen.size()];
            auto const kind = in.byte() % 5;
            if(kind == 0)
                hear({room, "shop", in.pick(collections), std::size_t(in.byte() % 4), in.byte() % 2 == 0, "subscribe",
                      "websocket", in.pick(nodes), now, {}});
            else if(kind == 1)
                api.apply_remote_snapshot({in.pick(nodes), std::uint64_t(in.byte() % 4 + 1), in.byte() % 2 == 0,
                                           {{room, "shop", "items", std::size_t(in.byte() % 3 + 1)}}},
                                          now);
            else if(kind == 2)
                check_texts(api.expire(now), 0);
            else if(kind == 4)
            {
                rooms::document_change c;
                c.index = "shop";
                c.collection = in.pick(collections);
                c.id = std::string(in.pick(ids));
                c.action = in.byte() % 3 == 0 ? rooms::document_action::remove : rooms::document_action::update;
                c.before = json::object{{"price", in.byte()}};
                if(c.action != rooms::document_action::remove)
                    c.after = json::object{{"price", in.byte()}};
                c.version = in.byte() % 4;
                c.node = in.pick(nodes);
                c.silent = in.byte() % 2 == 0;
                auto const out = api.apply_remote_change(c);
                check(!c.silent || out.empty(), "a silent change of another node notifies nobody");
                check_texts(out, 0);
                documents = api.document_count(); // the model follows this node's own writes only
                check(documents <= opts.max_documents, "other nodes' documents within the store's limits");
            }
            else
            {
                auto const p = rooms::read_presence(in.bytes(in.byte() % 64));
                if(auto const* c = std::get_if<rooms::presence_change>(&p))
                    hear(*c);
                else if(auto const* snapshot = std::get_if<rooms::presence_snapshot>(&p))
                    api.apply_remote_snapshot(*snapshot, now);
            }
            continue;
        }
        if(what == 0)
        {
            check_texts(api.disconnect(conn, now), 0);
            subscribed.erase(conn);
            continue;
        }
        if(what == 2)
        {
            // over HTTP: a route of the table with generated arguments, or raw parts
            std::string method, target, body_text, vol;
            std::string authorization = in.pick(authorizations);
            if(in.byte() % 4 != 0)
            {
                auto const& route = rooms::kuzzle_http_routes[in.byte() % std::size(rooms::kuzzle_http_routes)];
                method = route.verb;
                std::string_view url = route.url;
                for(std::size_t colon; (colon = url.find(':')) != std::string_view::npos;)
                {
                    target += url.substr(0, colon);
                    auto const end = std::min(url.find('/', colon), url.size());
                    target += url.substr(colon, end - colon) == ":collection" ? in.pick(collections)
                              : url.substr(colon, end - colon) == ":index"    ? "shop"
                                                                              : in.pick(ids);
                    url = url.substr(end);
                }
                target += std::string(url) + in.pick(query_args);
                auto const req = request(in, rooms_seen, "unused");
                if(auto const* b = req.if_contains("body"); b && in.byte() % 8 != 0)
                    body_text = json::serialize(*b);
                if(in.byte() % 8 == 0)
                    vol = in.byte() % 2 ? R"({"who":"fuzz"})" : "[";
            }
            else
            {
                method = in.pick(methods);
                target = std::string(in.bytes(in.byte() % 32));
                body_text = std::string(in.bytes(in.byte() % 32));
                vol = std::string(in.bytes(in.byte() % 8));
            }
            auto const answer = api.receive_http({method, target, body_text, authorization, vol}, "10.0.0.1", now);
            boost::system::error_code ec;
            auto const response = json::parse(answer.body, ec);
            check(!ec && response.is_object(), "an HTTP answer is a JSON object", answer.body);
            auto const& r = response.as_object();
            check(r.at("status") == answer.status && r.at("error").is_null() == (answer.status == 200),
                  "an HTTP answer's status is its response's", answer.body);
            if(answer.status == 200)
                account(r.at("action").as_string(), r);
            for(auto const& t : answer.texts)
                check(t.channel != nullptr, "an HTTP request sends only notifications to the connections", *t.text);
            check_texts(answer.texts, 0);
            check(api.document_count() == documents && documents <= opts.max_documents,
                  "an HTTP write counts in the documents", answer.body);
            continue;
        }
        std::string text;
        std::string const request_id = "r" + std::to_string(step);
        json::object req;
        if(what == 1)
            text = std::string(in.bytes(in.byte() % 64));
        else
        {
            req = request(in, rooms_seen, request_id);
            text = json::serialize(req);
        }
        auto const out = api.receive(conn, text, now);
        std::size_t at = 0; // the response: after the "pending" notifications
        while(at < out.size() && out[at].channel)
        {
            check(opts.pending_notifications && json::parse(*out[at].text).at("state") == "pending");
            check(subscribed.contains(out[at].to));
            ++at;
        }
        check(at < out.size() && out[at].to == conn && out[at].text);
        boost::system::error_code ec;
        auto const response = json::parse(*out[at].text, ec);
        check(!ec && response.is_object());
        auto const& r = response.as_object();
        if(r.size() == 1 && r.contains("p"))
        {
            check(text.find("\"p\"") != std::string::npos && out.size() == 1);
            continue;
        }
        check(r.contains("status") && r.at("status").is_int64() && r.contains("error") && r.contains("result"));
        auto const ok = r.at("status").as_int64() == 200;
        check(ok == r.at("error").is_null());
        if(!ok)
            check(!r.at("error").at("message").as_string().empty() && r.at("result").is_null());
        if(what != 1)
        {
            check(r.at("requestId") == json::value(request_id) && r.at("room") == json::value(request_id));
            auto const action = req.at("action").as_string();
            if(ok && (action == "subscribe" || action == "join"))
            {
                subscribed.insert(conn);
                rooms_seen.push_back(std::string(r.at("result").at("roomId").as_string()));
            }
            if(ok)
                account(action, r);
        }
        for(std::size_t i = at + 1; i < out.size(); ++i)
            check(out[i].channel != nullptr); // one response
        check_texts(out, at + 1);
        check(api.document_count() == documents && documents <= opts.max_documents);
    }
    for(rooms::connection_id c = 1; c <= 4; ++c)
    {
        check_texts(api.disconnect(c, now), 0);
        subscribed.erase(c);
    }
    check(api.rooms().size() == 0);
    return 0;
}
