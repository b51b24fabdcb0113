// Tests of rtnotify/rooms/http_routes.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/http_routes.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

/// The request `method target` makes (with `body`), or a failed test.
json::object request(std::string_view method, std::string_view target, std::string_view body = {},
                     std::string_view authorization = {}, std::string_view vol = {})
{
    auto r = rooms::kuzzle_request_of({method, target, body, authorization, vol});
    if(auto* f = std::get_if<rooms::api_failure>(&r))
    {
        ADD_FAILURE() << method << ' ' << target << ": " << f->id << ": " << f->message;
        return {};
    }
    return std::get<json::object>(r);
}

/// Why `method target` makes no request, or a failed test.
rooms::api_failure refusal(std::string_view method, std::string_view target, std::string_view body = {},
                           std::string_view vol = {})
{
    auto r = rooms::kuzzle_request_of({method, target, body, {}, vol});
    if(auto* f = std::get_if<rooms::api_failure>(&r))
        return *f;
    ADD_FAILURE() << method << ' ' << target << " made " << json::serialize(std::get<json::object>(r));
    return {};
}

TEST(HttpRoutes, ARouteGivesTheActionAndItsSegmentsTheArguments)
{
    EXPECT_EQ(request("POST", "/shop/items/_publish", R"({"price":3})"),
              (json::object{{"controller", "realtime"}, {"action", "publish"}, {"index", "shop"},
                            {"collection", "items"}, {"body", {{"price", 3}}}}));
    EXPECT_EQ(request("GET", "/shop/items/a%2Fb%20c"),
              (json::object{{"controller", "document"}, {"action", "get"}, {"index", "shop"}, {"collection", "items"},
                            {"_id", "a/b c"}}))
        << "segments are percent-decoded; an escaped slash stays in its segment";
    EXPECT_EQ(request("GET", "/").at("action"), "info");
    EXPECT_EQ(request("GET", "/_now/").at("action"), "now") << "a trailing slash adds no segment";
    EXPECT_EQ(request("POST", "/_login/local").at("strategy"), "local");
}

TEST(HttpRoutes, ALiteralSegmentComesBeforeTheIdItWouldAlsoBe)
{
    EXPECT_EQ(request("PUT", "/i/c/_mReplace", "{}").at("action"), "mReplace");
    EXPECT_EQ(request("PUT", "/i/c/other", "{}").at("action"), "createOrReplace");
    EXPECT_EQ(request("GET", "/i/c/_search").at("action"), "search");
    EXPECT_EQ(request("DELETE", "/i/c/_query", "{}").at("action"), "deleteByQuery");
    EXPECT_EQ(request("PATCH", "/i/c/d/_update", "{}").at("action"), "update");
    EXPECT_EQ(request("POST", "/i/c/d/_create", "{}").at("_id"), "d");
}

TEST(HttpRoutes, QueryArgumentsAreTypedAsAJsonRequestHasThem)
{
    auto const r = request("POST", "/i/c/_create?_id=42&refresh=wait_for&silent&size=10&from=x&name=a+b%21&&_id=43");
    EXPECT_EQ(r.at("_id"), "43") << "ids stay strings; the last of two counts";
    EXPECT_EQ(r.at("refresh"), "wait_for");
    EXPECT_EQ(r.at("silent"), true) << "a bare key is a flag";
    EXPECT_EQ(r.at("size"), 10u);
    EXPECT_EQ(r.at("from"), "x") << "left for the action to refuse";
    EXPECT_EQ(r.at("name"), "a b!");
    auto const search = request("GET", "/i/c/_search?searchBody=%7B%22query%22%3A%7B%22equals%22%3A%7B%22a%22%3A1%7D%7D%7D");
    EXPECT_EQ(search.at("body"), (json::object{{"query", {{"equals", {{"a", 1}}}}}}));
    EXPECT_EQ(request("GET", "/i/c/_id?index=other").at("index"), "i") << "the route's arguments win";
}

TEST(HttpRoutes, TheTokenComesFromABearerHeaderOnly)
{
    EXPECT_EQ(request("GET", "/users/_me", {}, "Bearer abc.def.ghi").at("jwt"), "abc.def.ghi");
    EXPECT_EQ(request("GET", "/users/_me", {}, "bearer t").at("jwt"), "t");
    EXPECT_FALSE(request("GET", "/users/_me", {}, "Basic YTpi").contains("jwt"));
    EXPECT_FALSE(request("GET", "/users/_me", {}, "Bearer ").contains("jwt"));
    EXPECT_EQ(request("POST", "/i/c/_publish", "{}", {}, R"({"who":"me"})").at("volatile"), (json::object{{"who", "me"}}));
}

TEST(HttpRoutes, EveryRefusalSaysWhatAndWhere)
{
    auto const none = refusal("GET", "/i/c/d/e/f");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(none.id, "network.http.url_not_found");
    EXPECT_EQ(none.message, "API URL not found: GET /i/c/d/e/f.");
    EXPECT_EQ(refusal("DELETE", "/_now").id, "network.http.url_not_found") << "a route of another method";
    EXPECT_EQ(refusal("GET", "//c/d").id, "network.http.url_not_found") << "an empty argument segment";
    EXPECT_EQ(refusal("TRACE", "/").id, "network.http.unsupported_verb");
    EXPECT_EQ(refusal("GET", "/i/c/%4").message,
              "Caught an unexpected HTTP error: a broken percent-escape or what is not UTF-8 in the path at byte 5.");
    EXPECT_EQ(refusal("GET", "/_now?a=%zz").message,
              "Caught an unexpected HTTP error: a broken percent-escape or what is not UTF-8 in the query at byte 6.");
    EXPECT_EQ(refusal("GET", "/i/c/%C3%28").id, "network.http.unexpected_error") << "decoded, not UTF-8";
    EXPECT_EQ(refusal("GET", "/_now?k=%ED%A0%80").id, "network.http.unexpected_error") << "a surrogate";
    EXPECT_EQ(refusal("GET", "\xE6" "F\x01").message, "API URL not found: %E6F%01.")
        << "raw bytes are shown percent-encoded, so the response stays UTF-8";
    EXPECT_EQ(refusal("G\x82T", "/").message, "Unsupported HTTP verb \"G%82T\".");
    EXPECT_EQ(refusal("GET", "/\xE6" "F/x").id, "network.http.unexpected_error") << "raw bytes that are not UTF-8";
    EXPECT_EQ(request("GET", "/i/c/%C3%A9t%C3%A9").at("_id"), "\xC3\xA9t\xC3\xA9");
    EXPECT_EQ(refusal("GET", "/_now?x=1&controller=auth").message,
              "Caught an unexpected HTTP error: the query may not set \"controller\" (byte 10).");
    EXPECT_EQ(refusal("POST", "/i/c/_publish", "[1]").message, "Caught an unexpected HTTP error: the body is not a JSON object.");
    EXPECT_EQ(refusal("POST", "/i/c/_publish", "{").id, "network.http.unexpected_error");
    EXPECT_EQ(refusal("POST", "/i/c/_publish", "{}", "nope").id, "network.http.unexpected_error");
    EXPECT_EQ(refusal("POST", "/i/c/_publish", std::string(100, '[') + std::string(100, ']')).status, 400)
        << "nesting is bounded";
}

TEST(HttpRoutes, ThePublicApiListsEveryRouteOfEachAction)
{
    auto const api = rooms::kuzzle_public_api();
    auto const& update = api.at("document").at("update").as_object();
    EXPECT_EQ(update.at("controller"), "document");
    EXPECT_EQ(update.at("http"), (json::array{{{"verb", "PATCH"}, {"url", "/:index/:collection/:_id/_update"}},
                                             {{"verb", "PUT"}, {"url", "/:index/:collection/:_id/_update"}}}));
    std::size_t routes = 0;
    for(auto const& [controller, actions] : api)
        for(auto const& [action, definition] : actions.as_object())
            routes += definition.at("http").as_array().size();
    EXPECT_EQ(routes, std::size(rooms::kuzzle_http_routes));
}

} // namespace
