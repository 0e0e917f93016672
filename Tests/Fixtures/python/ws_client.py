"""A WebSocket client (PyPI `websockets`) for Portico's WebSocket tests: plays one conversation and reports it.

Reads {"url", "headers": {name: value}, "steps": [...]} as JSON from stdin. Steps, in order:
- {"send": TEXT}: a text frame (an empty TEXT ends the client's messages);
- {"binary": TEXT}: a binary frame;
- {"expect": N}: waits for N text frames from the server;
- {"ping": true}: a ping, waiting for its pong;
- {"close": true}: closes the connection (Close 1000) and stops.
After the steps it reads until the server closes. Prints one JSON result: the frames received in order,
"pongs", the Close code and reason, or "status" and "body" when the upgrade was refused. A server that stays
silent for 10 s ends the run with "timeout": true.
"""

import asyncio
import json
import sys

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus


async def main():
    request = json.load(sys.stdin)
    result = {"received": [], "pongs": 0, "close_code": None, "close_reason": None, "status": None, "body": None, "timeout": False}
    try:
        async with connect(request["url"], additional_headers=request.get("headers", {}), max_size=None,
                           open_timeout=10, ping_interval=None) as socket:
            try:
                for step in request.get("steps", []):
                    if "send" in step:
                        await socket.send(step["send"])
                    elif "binary" in step:
                        await socket.send(step["binary"].encode())
                    elif "expect" in step:
                        for _ in range(step["expect"]):
                            result["received"].append(await asyncio.wait_for(socket.recv(), 10))
                    elif "ping" in step:
                        await asyncio.wait_for(await socket.ping(), 10)
                        result["pongs"] += 1
                    elif "close" in step:
                        await socket.close()
                        break
                while True:
                    result["received"].append(await asyncio.wait_for(socket.recv(), 10))
            except ConnectionClosed:
                pass
            except asyncio.TimeoutError:
                result["timeout"] = True
            await socket.wait_closed()
            if socket.close_code is not None:
                result["close_code"] = socket.close_code
                result["close_reason"] = socket.close_reason
    except InvalidStatus as refused:
        result["status"] = refused.response.status_code
        result["body"] = refused.response.body.decode(errors="replace")
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
