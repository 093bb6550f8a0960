using System.Buffers;
using System.Text;
using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>PING ECHO HELLO AUTH SELECT RESET CLIENT.</summary>
public sealed partial class ClientSession
{
    public const string ServerVersion = "7.2.4";

    private void Ping(RespCommand command)
    {
        if (command.Count > 2)
        {
            CacheErrors.WriteWrongArity(Reply, "ping");
            return;
        }
        if (Protocol == 2 && IsSubscribed)
        {
            // RESP2 subscribers get pushes and replies on one stream, so PING answers in the push shape.
            Reply.WriteArrayHeader(2);
            Reply.WriteBulkString("pong"u8);
            Reply.WriteBulkString(command.Count == 2 ? command[1] : []);
            return;
        }
        if (command.Count == 2) Reply.WriteBulkString(command[1]);
        else Output.Write(RespStrings.Pong);
    }

    private void Hello(RespCommand command)
    {
        int protocol = Protocol;
        int next = 1;
        if (command.Count > 1)
        {
            if (!RedisInteger.TryParse(command[1], out long requested) || requested > int.MaxValue || requested < int.MinValue)
            {
                Reply.WriteError("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (requested is < 2 or > 3)
            {
                Reply.WriteError("NOPROTO unsupported protocol version");
                return;
            }
            protocol = (int)requested;
            next = 2;
        }
        string? newName = null;
        for (; next < command.Count; next++)
        {
            if (command.Is(next, "AUTH"u8) && command.Count - next - 1 >= 2)
            {
                if (!CheckCredentials(command.GetString(next + 1), command.GetString(next + 2))) return;
                next += 2;
            }
            else if (command.Is(next, "SETNAME"u8) && command.Count - next - 1 >= 1)
            {
                newName = command.GetString(next + 1);
                if (!IsValidClientName(newName))
                {
                    Reply.WriteError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                next += 1;
            }
            else
            {
                Reply.WriteError($"ERR Syntax error in HELLO option '{command.GetString(next)}'");
                return;
            }
        }
        if (!Authenticated)
        {
            Reply.WriteError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }
        if (newName is not null) Name = newName.Length == 0 ? null : newName;
        Protocol = protocol;
        RespWriter reply = Reply;
        reply.WriteMapHeader(7);
        reply.WriteBulkString("server"u8); reply.WriteBulkString("redis"u8);
        reply.WriteBulkString("version"u8); reply.WriteBulkString(ServerVersion);
        reply.WriteBulkString("proto"u8); reply.WriteInteger(Protocol);
        reply.WriteBulkString("id"u8); reply.WriteInteger(Id);
        reply.WriteBulkString("mode"u8); reply.WriteBulkString("standalone"u8);
        reply.WriteBulkString("role"u8); reply.WriteBulkString(_node.Engine.GetStats().Role);
        reply.WriteBulkString("modules"u8); reply.WriteArrayHeader(0);
    }

    private void Auth(RespCommand command)
    {
        if (command.Count > 3)
        {
            Reply.WriteError(CacheErrors.Syntax);
            return;
        }
        if (command.Count == 2 && string.IsNullOrEmpty(_node.Settings.Requirepass))
        {
            Reply.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        string user = command.Count == 3 ? command.GetString(1) : "default";
        string password = command.GetString(command.Count - 1);
        if (CheckCredentials(user, password)) Reply.WriteOk();
    }

    /// <summary>Only the default user exists; without requirepass it takes any password, as Redis's "nopass".</summary>
    private bool CheckCredentials(string user, string password)
    {
        string required = _node.Settings.Requirepass;
        bool ok = user == "default" && (required.Length == 0 || FixedTimeEquals(required, password));
        if (!ok)
        {
            Reply.WriteError("WRONGPASS invalid username-password pair or user is disabled.");
            return false;
        }
        Authenticated = true;
        return true;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private void Select(RespCommand command)
    {
        if (!RedisInteger.TryParse(command[1], out long db) || db > int.MaxValue || db < int.MinValue)
        {
            Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if (db is < 0 or >= Keyspace.DatabaseCount)
        {
            Reply.WriteError(CacheErrors.DbIndexOutOfRange);
            return;
        }
        Db = (int)db;
        Reply.WriteOk();
    }

    private void ResetConnection()
    {
        DiscardTransaction();
        ClearWatches();
        UnsubscribeAll();
        Db = 0;
        Protocol = 2;
        Name = null;
        Authenticated = string.IsNullOrEmpty(_node.Settings.Requirepass);
        Reply.WriteSimpleString("RESET"u8);
    }

    private static bool IsValidClientName(string name)
    {
        foreach (char c in name)
        {
            if (c < '!' || c > '~') return false;
        }
        return true;
    }
}
