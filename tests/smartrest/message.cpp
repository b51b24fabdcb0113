// Tests of rtnotify/smartrest/message.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/message.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;

// Decodes one line and parses it with `parse`.
template<class Parse>
auto parse_line(std::string_view line, Parse parse)
{
    static std::string keep; // the document's views point into it
    keep = line;
    auto doc = sr::decode(keep).value();
    EXPECT_EQ(doc.size(), 1u) << line;
    return parse(doc[0]);
}

auto req(std::string_view line) { return parse_line(line, [](auto r) { return sr::parse_request(r); }); }
auto rep(std::string_view line) { return parse_line(line, [](auto r) { return sr::parse_reply(r); }); }

TEST(Message, Requests)
{
    EXPECT_EQ(req("80").value(), sr::request(sr::handshake_request{false}));
    EXPECT_EQ(req("80,true").value(), sr::request(sr::handshake_request{true}));
    EXPECT_EQ(req("81,abc,/12345,xid2,xid3").value(),
              sr::request(sr::subscribe_request{"abc", "/12345", {"xid2", "xid3"}}));
    EXPECT_EQ(req("82,abc,/12345").value(), sr::request(sr::unsubscribe_request{"abc", "/12345"}));
    EXPECT_EQ(req("83,abc").value(), sr::request(sr::connect_request{"abc", std::nullopt}));
    EXPECT_EQ(req("83,abc,17").value(), sr::request(sr::connect_request{"abc", 17}));
    EXPECT_EQ(req("84,abc").value(), sr::request(sr::disconnect_request{"abc"}));
    EXPECT_EQ(req("15,myxid").value(), sr::request(sr::switch_xid{"myxid"}));
}

TEST(Message, RequestErrorsNameTheField)
{
    auto e = req("81,abc").error();
    EXPECT_EQ(e.code, sr::error::missing_field);
    EXPECT_EQ(e.field, 3u);
    e = req("84,abc,extra").error();
    EXPECT_EQ(e.code, sr::error::extra_field);
    EXPECT_EQ(e.field, 3u);
    e = req("83,abc,x1").error();
    EXPECT_EQ(e.code, sr::error::not_a_number);
    EXPECT_EQ(e.field, 3u);
    e = req("82,,/c").error();
    EXPECT_EQ(e.code, sr::error::empty_field);
    EXPECT_EQ(e.field, 2u);
    e = req("x80").error();
    EXPECT_EQ(e.code, sr::error::invalid_message_id);
    EXPECT_EQ(e.field, 1u);
    e = req("-80").error();
    EXPECT_EQ(e.code, sr::error::invalid_message_id);
    e = req("99999999999999999999999").error();
    EXPECT_EQ(e.code, sr::error::invalid_message_id);
    e = req("100,1").error();
    EXPECT_EQ(e.code, sr::error::unknown_message);
    EXPECT_EQ(e.code, rtnotify::condition::unsupported);
}

TEST(Message, Advice4And5FieldForms)
{
    // Reference vectors 33 and 35, and the documented 4-field form.
    EXPECT_EQ(rep("86,,1000,10000,retry").value(), sr::reply(sr::advice_line{1000, 10000, sr::reconnect::retry}));
    EXPECT_EQ(rep("86,,,,handshake").value(),
              sr::reply(sr::advice_line{std::nullopt, std::nullopt, sr::reconnect::handshake}));
    EXPECT_EQ(rep("86,5400000,0,none").value(), sr::reply(sr::advice_line{5400000, 0, sr::reconnect::none}));
    EXPECT_EQ(rep("86,,10000,retry").value(), sr::reply(sr::advice_line{std::nullopt, 10000, sr::reconnect::retry}));
    EXPECT_EQ(rep("86,1,2,maybe").error().code, sr::error::bad_reconnect_policy);
    EXPECT_EQ(rep("86,1,2,maybe").error().field, 4u);
    EXPECT_EQ(rep("86,,x,2,none").error().field, 3u);
    EXPECT_EQ(rep("86,1,2").error().code, sr::error::missing_field);
}

TEST(Message, Replies)
{
    // Reference vectors 39, 41, 43.
    EXPECT_EQ(rep("Un1q31d3nt1f13r").value(), sr::reply(sr::client_id_line{"Un1q31d3nt1f13r"}));
    EXPECT_EQ(rep("43,1,Invalid Message Identifier").value(),
              sr::reply(sr::status_line{43, 1, "Invalid Message Identifier", {}}));
    EXPECT_EQ(rep("41,2,Bad response template definition").value(),
              sr::reply(sr::status_line{41, 2, "Bad response template definition", {}}));
    EXPECT_EQ(rep("40,\"No template for this X-ID.\"").value(),
              sr::reply(sr::status_line{40, std::nullopt, "No template for this X-ID.", {}}));
    EXPECT_EQ(rep("20,12345").value(), sr::reply(sr::status_line{20, std::nullopt, "12345", {}}));
    EXPECT_EQ(rep("50,3,500").value(), sr::reply(sr::status_line{50, 3, "500", {}}));
    EXPECT_EQ(rep("87,2,mytemplate1").value(), sr::reply(sr::group_line{2, "mytemplate1"}));
    EXPECT_EQ(rep("88,7").value(), sr::reply(sr::batch_line{7}));
    EXPECT_EQ(rep("100,1,a,,b").value(), sr::reply(sr::data_row{100, 1, {"a", "", "b"}}));
    EXPECT_EQ(rep("61,device").value(), sr::reply(sr::unknown_line{61, {"device"}}));
    EXPECT_EQ(rep("100,myvalue").value(), sr::reply(sr::data_row{100, std::nullopt, {"myvalue"}}));
    EXPECT_EQ(rep("abc,def").error().code, sr::error::invalid_message_id);
}

TEST(Message, EncodeRoundTrips)
{
    std::vector<sr::request> requests{
        sr::handshake_request{}, sr::handshake_request{true}, sr::subscribe_request{"id", "/1", {"x2"}},
        sr::unsubscribe_request{"id", "/1"}, sr::connect_request{"id", 3}, sr::connect_request{"id", {}},
        sr::disconnect_request{"id"}, sr::switch_xid{"x,y"}};
    for(auto const& m : requests)
    {
        std::string line;
        sr::encode(line, m);
        EXPECT_EQ(req(line).value(), m) << line;
    }
    std::vector<sr::reply> replies{
        sr::client_id_line{"abc"}, sr::advice_line{1, 2, sr::reconnect::retry}, sr::advice_line{},
        sr::group_line{2, "x"}, sr::batch_line{9}, sr::status_line{41, 2, "Bad, pattern", {}},
        sr::status_line{50, 1, "500", {"more"}}, sr::data_row{100, 1, {"a \"q\"", ""}}, sr::data_row{100, std::nullopt, {"v"}}, sr::unknown_line{61, {"d"}}};
    for(auto const& m : replies)
    {
        std::string line;
        sr::encode(line, m);
        EXPECT_EQ(rep(line).value(), m) << line;
    }
    std::string line;
    sr::encode(line, sr::advice_line{5000, 0, sr::reconnect::handshake});
    EXPECT_EQ(line, "86,,5000,0,handshake\n");
}

} // namespace
