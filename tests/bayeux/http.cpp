// Tests of rtnotify/bayeux/http.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/http.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;

std::string header(bx::http_response const& r, std::string_view name)
{
    for(auto const& [k, v] : r.headers)
        if(k == name)
            return v;
    return {};
}

auto read(std::string_view method, std::string_view target, std::string_view ct, std::string_view body,
          bx::http_options const& opts = {})
{
    return bx::read_http_request({method, target, ct, body}, opts);
}

constexpr std::string_view handshake =
    R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}])";

TEST(Http, JsonPost)
{
    auto in = read("POST", "/bayeux/handshake", "application/json;charset=UTF-8", handshake);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->transport, bx::http_transport::json_post);
    ASSERT_EQ(in->messages.size(), 1u);
    EXPECT_EQ(in->messages[0].channel, "/meta/handshake");
    EXPECT_TRUE(read("POST", "/bayeux", " Application/JSON ", "{\"channel\":\"/a\"}")) << "bare object, case, blanks";
    EXPECT_TRUE(read("POST", "/bayeux", "application/json", "[]").value().messages.empty());
}

TEST(Http, FormPostSingleAndSeveralValues)
{
    auto in = read("POST", "/bayeux", "application/x-www-form-urlencoded",
                   "message=%5B%7B%22channel%22%3A%22%2Fa%22%2C%22data%22%3A%22x+y%22%7D%5D");
    ASSERT_TRUE(in);
    EXPECT_EQ(in->transport, bx::http_transport::form_post);
    ASSERT_EQ(in->messages.size(), 1u);
    EXPECT_EQ(*in->messages[0].data, "x y");
    in = read("POST", "/bayeux", "application/x-www-form-urlencoded",
              "other=1&message=%7B%22channel%22%3A%22%2Fa%22%7D&message=%5B%7B%22channel%22%3A%22%2Fb%22%7D%5D");
    ASSERT_TRUE(in);
    ASSERT_EQ(in->messages.size(), 2u);
    EXPECT_EQ(in->messages[1].channel, "/b") << "every value, in order";
}

TEST(Http, JsonpGet)
{
    auto in = read("GET", "/bayeux?jsonp=_cometd_jsonp_3&message=%5B%7B%22channel%22%3A%22%2Fa%22%7D%5D", "", "");
    ASSERT_TRUE(in);
    EXPECT_EQ(in->transport, bx::http_transport::jsonp_get);
    EXPECT_EQ(in->callback, "_cometd_jsonp_3");
    in = read("GET", "/bayeux?message=%7B%22channel%22%3A%22%2Fa%22%7D", "", "");
    ASSERT_TRUE(in);
    EXPECT_EQ(in->callback, "jsonpcallback") << "the spec's default";
    EXPECT_TRUE(read("GET", "/b?jsonp=a.b.c$1&message=%7B%22channel%22%3A%22%2Fa%22%7D", "", ""));
    auto r = bx::make_http_response(in->messages, *in);
    EXPECT_EQ(r.body, R"(jsonpcallback([{"channel":"/a"}]);)");
    EXPECT_EQ(header(r, "Content-Type"), "text/javascript; charset=utf-8");
}

struct reject_case
{
    char const* name;
    std::string method, target, content_type, body;
    unsigned status;
};

class HttpRejects : public ::testing::TestWithParam<reject_case>
{
};

TEST_P(HttpRejects, Status)
{
    auto const& c = GetParam();
    bx::http_options opts;
    opts.limits.max_body_size = 1024;
    auto in = read(c.method, c.target, c.content_type, c.body, opts);
    ASSERT_FALSE(in) << c.name;
    EXPECT_EQ(in.error().status, c.status) << c.name << ": " << in.error().body;
    EXPECT_EQ(header(in.error(), "Cache-Control"), "no-cache, no-store");
}

INSTANTIATE_TEST_SUITE_P(
    Bayeux, HttpRejects,
    ::testing::Values(
        reject_case{"put", "PUT", "/bayeux", "application/json", "[]", 405},
        reject_case{"delete", "DELETE", "/bayeux", "", "", 405},
        reject_case{"text_plain", "POST", "/bayeux", "text/plain", "[]", 415},
        reject_case{"no_content_type", "POST", "/bayeux", "", "[]", 415},
        reject_case{"too_large", "POST", "/bayeux", "application/json", std::string(2000, ' '), 413},
        reject_case{"malformed_json", "POST", "/bayeux", "application/json", "[{", 400},
        reject_case{"empty_body", "POST", "/bayeux", "application/json", "", 400},
        reject_case{"primitive", "POST", "/bayeux", "application/json", "42", 400},
        reject_case{"missing_channel", "POST", "/bayeux", "application/json", "[{\"data\":1}]", 400},
        reject_case{"form_without_message", "POST", "/bayeux", "application/x-www-form-urlencoded", "a=1", 400},
        reject_case{"form_bad_escape", "POST", "/bayeux", "application/x-www-form-urlencoded", "message=%zz", 400},
        reject_case{"form_bad_json", "POST", "/bayeux", "application/x-www-form-urlencoded", "message=%5B", 400},
        reject_case{"get_without_message", "GET", "/bayeux?jsonp=cb", "", "", 400},
        reject_case{"jsonp_invalid_callback", "GET", "/bayeux?jsonp=alert(1)&message=%5B%5D", "", "", 400},
        reject_case{"jsonp_leading_digit", "GET", "/bayeux?jsonp=1cb&message=%5B%5D", "", "", 400},
        reject_case{"jsonp_empty_segment", "GET", "/bayeux?jsonp=a..b&message=%5B%5D", "", "", 400},
        reject_case{"jsonp_two_callbacks", "GET", "/bayeux?jsonp=a&jsonp=b&message=%5B%5D", "", "", 400},
        reject_case{"jsonp_too_long", "GET", "/bayeux?jsonp=" + std::string(65, 'a') + "&message=%5B%5D", "", "",
                    400}),
    [](auto const& param_info) { return std::string(param_info.param.name); });

TEST(Http, ErrorBodyNamesMessageAndField)
{
    auto in = read("POST", "/bayeux", "application/json", R"([{"channel":"/a"},{"channel":"/b","clientId":7}])");
    ASSERT_FALSE(in);
    EXPECT_EQ(in.error().body, "bad Bayeux message: message 1, field clientId: field has the wrong type\n");
    EXPECT_EQ(header(in.error(), "Content-Type"), "text/plain; charset=utf-8");
    in = read("PUT", "/bayeux", "", "");
    EXPECT_EQ(header(in.error(), "Allow"), "GET, POST");
}

TEST(Http, ValueOfARefusalThrowsTheLibrarysErrorCode)
{
    auto const check = [](auto const& r, bx::error expected, std::string_view status) {
        ASSERT_FALSE(r);
        try
        {
            (void)r.value();
            ADD_FAILURE() << "no exception";
        }
        catch(boost::system::system_error const& e)
        {
            EXPECT_EQ(e.code(), expected);
            EXPECT_NE(std::string(e.what()).find(status), std::string::npos) << e.what();
        }
    };
    bx::http_options small;
    small.limits.max_body_size = 8;
    check(read("POST", "/", "application/json", handshake, small), bx::error::body_too_large, "HTTP 413");
    check(read("PUT", "/", "application/json", handshake), bx::error::http_refused, "HTTP 405");
    check(read("POST", "/", "text/csv", handshake), bx::error::http_refused, "HTTP 415");
}

TEST(Http, JsonResponse)
{
    auto in = read("POST", "/bayeux", "application/json", handshake).value();
    bx::message reply;
    reply.channel = "/meta/handshake";
    reply.successful = true;
    auto r = bx::make_http_response(std::vector<bx::message>{reply}, in);
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, R"([{"channel":"/meta/handshake","successful":true}])");
    EXPECT_EQ(header(r, "Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(header(r, "Cache-Control"), "no-cache, no-store");
}

} // namespace
