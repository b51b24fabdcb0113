// Tests of the cluster bus's frames (rtnotify/cluster/frame.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/cluster/frame.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace {

namespace cl = rtnotify::cluster;

cl::frame_error error_of(std::string_view text)
{
    auto const r = cl::decode_frame(text);
    EXPECT_TRUE(std::holds_alternative<cl::frame_error>(r)) << text;
    return std::holds_alternative<cl::frame_error>(r) ? std::get<cl::frame_error>(r) : cl::frame_error{};
}

TEST(ClusterFrame, EncodesAndDecodesBack)
{
    std::string const body = "{\"channel\":\"/a\",\"data\":\"line\\nbreak\"}\n";
    auto const text = cl::encode_frame({cl::frame_kind::bayeux, "node-A_1", "Jx3kQ9mZ", 18446744073709551615ull, body});
    EXPECT_EQ(text, "bayeux node-A_1 Jx3kQ9mZ 18446744073709551615\n" + body);
    auto const r = cl::decode_frame(text);
    ASSERT_TRUE(std::holds_alternative<cl::frame>(r));
    auto const& f = std::get<cl::frame>(r);
    EXPECT_EQ(f.kind, cl::frame_kind::bayeux);
    EXPECT_EQ(f.node, "node-A_1");
    EXPECT_EQ(f.incarnation, "Jx3kQ9mZ");
    EXPECT_EQ(f.sequence, 18446744073709551615ull);
    EXPECT_EQ(f.body, body);
}

TEST(ClusterFrame, CarriesTemplateRegistrations)
{
    std::string const posted = "10,100,POST,/x,application/json,,STRING,{}\n11,200,$,$.a,$.b\n";
    auto const body = cl::templates_body({"device-2", "10.0.0.7", posted});
    EXPECT_EQ(body, "device-2\n10.0.0.7\n" + posted);
    auto const text = cl::encode_frame({cl::frame_kind::templates, "B", "i", 3, body});
    EXPECT_TRUE(text.starts_with("templates B i 3\n"));
    auto const r = cl::decode_frame(text);
    ASSERT_TRUE(std::holds_alternative<cl::frame>(r));
    EXPECT_EQ(std::get<cl::frame>(r).kind, cl::frame_kind::templates);
    auto const reg = cl::read_templates_body(std::get<cl::frame>(r).body);
    ASSERT_TRUE(reg);
    EXPECT_EQ(reg->xid, "device-2");
    EXPECT_EQ(reg->owner, "10.0.0.7");
    EXPECT_EQ(reg->body, posted);
    auto const unnamed = cl::read_templates_body("\n\n15,name\n");
    ASSERT_TRUE(unnamed); // the X-Id may be empty: the body's 15 line names the collection
    EXPECT_EQ(unnamed->xid, "");
    EXPECT_EQ(unnamed->body, "15,name\n");
    EXPECT_FALSE(cl::read_templates_body("xid only"));
    EXPECT_FALSE(cl::read_templates_body("xid\nowner without its line feed"));
}

TEST(ClusterFrame, EveryKindReadsBackAsItself)
{
    for(auto const kind :
        {cl::frame_kind::bayeux, cl::frame_kind::templates, cl::frame_kind::service, cl::frame_kind::mqtt})
    {
        auto const r = cl::decode_frame(cl::encode_frame({kind, "n", "i", 1, "{}"}));
        ASSERT_TRUE(std::holds_alternative<cl::frame>(r)) << cl::to_string(kind);
        EXPECT_EQ(std::get<cl::frame>(r).kind, kind);
    }
    EXPECT_EQ(cl::to_string(cl::frame_kind::service), "service");
    EXPECT_EQ(cl::to_string(cl::frame_kind::mqtt), "mqtt");
}

TEST(ClusterFrame, TakesAnEmptyBody)
{
    auto const r = cl::decode_frame("bayeux n i 1\n");
    ASSERT_TRUE(std::holds_alternative<cl::frame>(r));
    EXPECT_EQ(std::get<cl::frame>(r).body, "");
}

TEST(ClusterFrame, SaysWhatIsWrongAndWhere)
{
    auto e = error_of("bayeux n i 1");
    EXPECT_STREQ(e.what, "no line feed after the header");
    EXPECT_EQ(e.offset, 12u);
    e = error_of("kuzzle n i 1\n{}");
    EXPECT_STREQ(e.what, "unknown frame kind");
    EXPECT_EQ(e.offset, 0u);
    e = error_of("bayeux\n");
    EXPECT_STREQ(e.what, "no space after the kind");
    e = error_of("bayeux n\n");
    EXPECT_STREQ(e.what, "no space after the node id");
    e = error_of("bayeux  i 1 2\n");
    EXPECT_STREQ(e.what, "invalid node id");
    EXPECT_EQ(e.offset, 7u);
    e = error_of("bayeux n.b i 2\n");
    EXPECT_STREQ(e.what, "invalid node id");
    e = error_of("bayeux " + std::string(65, 'n') + " i 2\n");
    EXPECT_STREQ(e.what, "invalid node id");
    EXPECT_EQ(e.message(), "invalid node id at byte 7");
    e = error_of("bayeux n 2\n"); // a frame of the format without incarnations
    EXPECT_STREQ(e.what, "no space after the incarnation");
    for(auto const& bad : {std::string("bayeux n  2\n"), std::string("bayeux n i-1 2\n"),
                           "bayeux n " + std::string(17, 'i') + " 2\n"})
    {
        e = error_of(bad);
        EXPECT_STREQ(e.what, "invalid incarnation") << bad;
        EXPECT_EQ(e.offset, 9u);
    }
}

TEST(ClusterFrame, RefusesSequenceNumbersThatAreNotPlainDecimals)
{
    for(char const* bad : {"bayeux n i 0\n", "bayeux n i 01\n", "bayeux n i -1\n", "bayeux n i +1\n", "bayeux n i 1x\n",
                           "bayeux n i 18446744073709551616\n", "bayeux n i \n", "bayeux n i 1 \n", "bayeux n i 1 2\n"})
    {
        auto const e = error_of(bad);
        EXPECT_STREQ(e.what, "invalid sequence number") << bad;
    }
    EXPECT_EQ(error_of("bayeux n i 12x\n").offset, 13u);
}

TEST(ClusterFrame, NodeIdsAndIncarnationsAreShortAndPlain)
{
    EXPECT_TRUE(cl::is_node_id("a"));
    EXPECT_TRUE(cl::is_node_id(std::string(64, 'Z')));
    EXPECT_FALSE(cl::is_node_id(""));
    EXPECT_FALSE(cl::is_node_id(std::string(65, 'Z')));
    EXPECT_FALSE(cl::is_node_id("a b"));
    EXPECT_FALSE(cl::is_node_id("a\n"));
    EXPECT_FALSE(cl::is_node_id("é"));
    EXPECT_TRUE(cl::is_incarnation("Jx3kQ9mZ"));
    EXPECT_TRUE(cl::is_incarnation(std::string(16, '7')));
    EXPECT_FALSE(cl::is_incarnation(""));
    EXPECT_FALSE(cl::is_incarnation(std::string(17, '7')));
    EXPECT_FALSE(cl::is_incarnation("a_b"));
}

} // namespace
