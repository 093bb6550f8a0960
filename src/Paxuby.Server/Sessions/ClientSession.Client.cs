using Paxuby.Cache;
using System.Text;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>CLIENT and its subcommands.</summary>
public sealed partial class ClientSession
{
    private void ClientCommand(RespCommand command)
    {
        string sub = command.GetString(1).ToLowerInvariant();
        switch (sub)
        {
            case "id" when command.Count == 2:
                Reply.WriteInteger(Id);
                break;
            case "getname" when command.Count == 2:
                if (Name is null) Reply.WriteNull();
                else Reply.WriteBulkString(Name);
                break;
            case "setname" when command.Count == 3:
                string name = command.GetString(2);
                if (!IsValidClientName(name))
                {
                    Reply.WriteError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                Name = name.Length == 0 ? null : name;
                Reply.WriteOk();
                break;
            case "setinfo" when command.Count == 4:
                SetInfo(command);
                break;
            case "info" when command.Count == 2:
                Reply.WriteVerbatim(Encoding.UTF8.GetBytes(DescribeForClientList()));
                break;
            case "list":
                ClientList(command);
                break;
            case "kill":
                ClientKill(command);
                break;
            case "no-evict" or "no-touch" when command.Count == 3:
                if (command.Is(2, "ON"u8) || command.Is(2, "OFF"u8)) Reply.WriteOk();
                else Reply.WriteError(CacheErrors.Syntax);
                break;
            case "reply" when command.Count == 3:
                // Replies are always sent; ON is the only mode that needs no reply suppression.
                if (command.Is(2, "ON"u8)) Reply.WriteOk();
                else Reply.WriteError(CacheErrors.Syntax);
                break;
            case "help" when command.Count == 2:
                WriteHelp("CLIENT", ["ID", "GETNAME", "SETNAME <name>", "SETINFO <LIB-NAME|LIB-VER> <value>", "INFO",
                    "LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID id ...]", "KILL <ip:port> | KILL [ID id] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no]",
                    "NO-EVICT ON|OFF", "NO-TOUCH ON|OFF", "REPLY ON"]);
                break;
            case "id" or "getname" or "setname" or "setinfo" or "info" or "no-evict" or "no-touch" or "reply" or "help":
                CacheErrors.WriteWrongArity(Reply, "client|" + sub);
                break;
            default:
                CacheErrors.WriteUnknownSubcommand(Reply, command);
                break;
        }
    }

    private void SetInfo(RespCommand command)
    {
        string value = command.GetString(3);
        if (!IsValidClientName(value))
        {
            Reply.WriteError($"ERR {command.GetString(2)} cannot contain spaces, newlines or special characters.");
            return;
        }
        if (command.Is(2, "LIB-NAME"u8)) LibraryName = value;
        else if (command.Is(2, "LIB-VER"u8)) LibraryVersion = value;
        else
        {
            Reply.WriteError($"ERR Unrecognized option '{command.GetString(2)}'");
            return;
        }
        Reply.WriteOk();
    }

    private void ClientList(RespCommand command)
    {
        HashSet<long>? ids = null;
        for (int i = 2; i < command.Count; i++)
        {
            if (command.Is(i, "TYPE"u8) && i + 1 < command.Count)
            {
                i++;
                if (!(command.Is(i, "NORMAL"u8) || command.Is(i, "MASTER"u8) || command.Is(i, "REPLICA"u8) || command.Is(i, "SLAVE"u8) || command.Is(i, "PUBSUB"u8)))
                {
                    Reply.WriteError($"ERR Unknown client type '{command.GetString(i)}'");
                    return;
                }
            }
            else if (command.Is(i, "ID"u8) && i + 1 < command.Count)
            {
                ids = [];
                for (i++; i < command.Count; i++)
                {
                    if (!RedisInteger.TryParse(command[i], out long id) || id <= 0)
                    {
                        Reply.WriteError("ERR Invalid client ID");
                        return;
                    }
                    ids.Add(id);
                }
            }
            else
            {
                Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }
        var text = new StringBuilder();
        foreach (ClientSession client in _node.Clients.Values.OrderBy(c => c.Id))
        {
            if (ids is null || ids.Contains(client.Id)) text.Append(client.DescribeForClientList());
        }
        Reply.WriteVerbatim(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private void ClientKill(RespCommand command)
    {
        if (command.Count == 3)
        {
            // The old form: CLIENT KILL addr:port, an error when nobody matches.
            string addr = command.GetString(2);
            ClientSession? target = _node.Clients.Values.FirstOrDefault(c => c.RemoteAddress == addr);
            if (target is null)
            {
                Reply.WriteError("ERR No such client");
                return;
            }
            Reply.WriteOk();
            KillClient(target);
            return;
        }
        if (command.Count < 4 || command.Count % 2 != 0)
        {
            Reply.WriteError(CacheErrors.Syntax);
            return;
        }
        long? id = null;
        string? address = null, localAddress = null;
        bool skipMe = true;
        for (int i = 2; i < command.Count; i += 2)
        {
            string value = command.GetString(i + 1);
            if (command.Is(i, "ID"u8))
            {
                if (!RedisInteger.TryParse(command[i + 1], out long parsed) || parsed <= 0)
                {
                    Reply.WriteError("ERR client-id should be greater than 0");
                    return;
                }
                id = parsed;
            }
            else if (command.Is(i, "ADDR"u8)) address = value;
            else if (command.Is(i, "LADDR"u8)) localAddress = value;
            else if (command.Is(i, "SKIPME"u8))
            {
                if (command.Is(i + 1, "YES"u8)) skipMe = true;
                else if (command.Is(i + 1, "NO"u8)) skipMe = false;
                else
                {
                    Reply.WriteError(CacheErrors.Syntax);
                    return;
                }
            }
            else if (command.Is(i, "TYPE"u8) || command.Is(i, "USER"u8) || command.Is(i, "MAXAGE"u8))
            {
                continue;
            }
            else
            {
                Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }
        var victims = _node.Clients.Values
            .Where(c => (id is null || c.Id == id) && (address is null || c.RemoteAddress == address)
                && (localAddress is null || c.LocalAddress == localAddress) && !(skipMe && c == this))
            .ToList();
        Reply.WriteInteger(victims.Count);
        foreach (ClientSession victim in victims) KillClient(victim);
    }

    private void KillClient(ClientSession target)
    {
        // Killing ourselves must still deliver this reply first.
        if (target == this) _closeAfterFlush = true;
        else target.Kill();
    }

    /// <summary>One line of CLIENT LIST, with the fields Redis 7.2 prints.</summary>
    public string DescribeForClientList()
    {
        long now = _node.NowMs;
        string flags = InTransaction ? "x" : IsSubscribed ? "P" : "N";
        return $"id={Id} addr={RemoteAddress} laddr={LocalAddress} fd=8 name={Name} age={(now - CreatedAtMs) / 1000} idle={(now - LastCommandAtMs) / 1000} " +
               $"flags={flags} db={Db} sub={_channels.Count} psub={_patterns.Count} ssub=0 multi={(InTransaction ? _queued!.Count : -1)} qbuf=0 qbuf-free=0 " +
               $"argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={LastCommandName} user=default redir=-1 resp={Protocol} " +
               $"lib-name={LibraryName} lib-ver={LibraryVersion}\n";
    }

    private void WriteHelp(string command, string[] lines)
    {
        Reply.WriteArrayHeader(lines.Length + 1);
        Reply.WriteSimpleString($"{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        foreach (string line in lines) Reply.WriteSimpleString(line);
    }
}
